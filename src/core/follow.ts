// Following pending sends (docs/engine.md, "Receipts that come later"): a send the partner accepted
// without acknowledging it yet (journal `pending`) is asked about again by later runs, at most every
// `receipts.every` per send, until the partner's word closes it: `acknowledged` (its receipt placed in
// recus/<profile>/ like a received file: journal `placing` first), `refused` or `failed`.
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { receiptsOf } from '../config/build.js';
import type { ScenarioConfig } from '../config/model.js';
import { t } from '../i18n/index.js';
import { applyNamingPlan, openCounterStore, partialPathFor, placeFile, removeLeftoverPartials, resolvePlan, type CounterStore } from '../naming/index.js';
import { hasCapability, isTransferError, type FollowResult, type PendingSend, type ProtocolSession, type SendSteps } from '../protocols/contract.js';
import { isAbort } from '../shared/abort.js';
import { LockHeldError } from '../shared/errors.js';
import { sha256File } from '../shared/hash.js';
import { localTime } from '../shared/local-time.js';
import { acquireLock } from '../shared/lock.js';
import { spoolPaths } from '../shared/paths.js';
import { backoffDelay, pause } from '../shared/wait.js';
import type { EngineContext } from './context.js';
import { describeFailure, failureFix, scenarioProblem, sessionProblem } from './failure.js';
import { withHooks } from './hooks.js';
import type { JournalEntry } from './journal.js';
import { JournalIndex } from './journal-index.js';
import { isSystemError } from './local-failure.js';
import type { Outcomes } from './outcome.js';
import { findPlaced } from './placed.js';
import { loadDefinition, openSession } from './protocol-session.js';
import type { FileOutcome } from './results.js';
import { SendLedger, type LogLine, type SendLine } from './send-ledger.js';

/** An open pending send: its `pending` line and the latest line of its queue path. */
export interface OpenPending {
  pending: JournalEntry;
  latest: JournalEntry;
}

/** When each open send of a scenario was last asked about, and not before when the partner said so. */
export type AskedTimes = Record<string, { asked: string; until?: string }>;

/**
 * Whether `open` is to be asked about at `now`: a receipt left half placed always is; otherwise not
 * sooner than `everyMs` after the last question (or after the send itself), nor before the partner's
 * `Retry-After` ran out.
 */
export function isDue(open: OpenPending, asked: AskedTimes[string] | undefined, everyMs: number, now: Date): boolean {
  if (open.latest.state === 'placing') return true;
  const last = Date.parse(asked?.asked ?? open.pending.time);
  const until = asked?.until === undefined ? Number.NaN : Date.parse(asked.until);
  if (!Number.isNaN(until) && now.getTime() < until) return false;
  return Number.isNaN(last) || now.getTime() >= last + everyMs;
}

/** What the protocol gets to follow a send: from its `pending` line. */
export function pendingSendOf(line: JournalEntry): PendingSend {
  return { name: line.file, remoteId: line.remoteId ?? line.file, follow: { ...(line.follow ?? {}) }, since: new Date(line.time) };
}

/**
 * The last-asked times live beside the journal index (`journal-index/follow-<scenario>.json`), written
 * under the scenario's lock: derived data too — lost, the next run asks each open send once sooner.
 * A `pending` answer writes nothing into the journal.
 */
function askedFile(root: string, scenario: string): string {
  return join(root, 'journal-index', `follow-${scenario}.json`);
}

export async function readAsked(root: string, scenario: string): Promise<AskedTimes> {
  try {
    const value = JSON.parse(await readFile(askedFile(root, scenario), 'utf8')) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as AskedTimes) : {};
  } catch {
    return {};
  }
}

/** Replaced at once (temporary file, renamed); only the open sends are kept. Best effort. */
async function writeAsked(root: string, scenario: string, asked: AskedTimes, open: ReadonlySet<string>): Promise<void> {
  const kept: AskedTimes = {};
  for (const [path, times] of Object.entries(asked)) if (open.has(path)) kept[path] = times;
  const file = askedFile(root, scenario);
  // One temporary name per scenario (written under its lock): a kill leaves nothing that piles up.
  const temp = `${file}.tmp`;
  try {
    await mkdir(join(root, 'journal-index'), { recursive: true });
    await writeFile(temp, `${JSON.stringify(kept)}\n`);
    await rename(temp, file);
  } catch {
    await rm(temp, { force: true }).catch(() => undefined);
  }
}

/**
 * Follows the open pending sends of the scenarios whose protocol declares `follow` (run, each watch
 * cycle, retrieve). Nothing for a dry run. A scenario without a send due costs a look at the index.
 */
export async function followScenarios(ctx: EngineContext, scenarios: ScenarioConfig[], outcomes: Outcomes): Promise<void> {
  if (ctx.dryRun) return;
  const followed: ScenarioConfig[] = [];
  for (const scenario of scenarios) {
    const definition = await loadDefinition(scenario.protocol).catch(() => undefined);
    if (definition !== undefined && hasCapability(definition, 'follow')) followed.push(scenario);
  }
  if (followed.length === 0) return;
  const index = new JournalIndex(ctx.config.root, { log: (key, params) => ctx.log.warn(key, params) });
  try {
    await index.catchUp();
    for (const scenario of followed) {
      if (ctx.signal.aborted) {
        outcomes.interrupted = true;
        return;
      }
      if (!(await hasDue(ctx, scenario, index))) continue;
      try {
        await followScenario(ctx, scenario, index, outcomes);
      } catch (error) {
        if (!isSystemError(error)) throw error;
        const reason = describeFailure(error);
        outcomes.problem(scenarioProblem(ctx, scenario.name, t('engine.follow.local', { reason })));
      }
    }
  } finally {
    index.close();
  }
}

async function hasDue(ctx: EngineContext, scenario: ScenarioConfig, index: JournalIndex): Promise<boolean> {
  const open = await index.openPendings(scenario.name);
  if (open.length === 0) return false;
  const asked = await readAsked(ctx.config.root, scenario.name);
  const { everyMs } = receiptsOf(scenario);
  const now = ctx.now();
  return open.some((o) => isDue(o, asked[o.pending.path ?? ''], everyMs, now));
}

async function followScenario(ctx: EngineContext, scenario: ScenarioConfig, index: JournalIndex, outcomes: Outcomes): Promise<void> {
  let lock;
  try {
    lock = await acquireLock(spoolPaths(ctx.config).lock(`scenario-${scenario.name}`), { command: ctx.command });
  } catch (error) {
    // The run holding it follows this scenario's sends itself.
    if (!(error instanceof LockHeldError)) throw error;
    ctx.log.debug('engine.follow.lockHeld', { scenario: scenario.name });
    return;
  }
  if (lock.replaced) ctx.log.warn('engine.staleLockReplaced', { lock: lock.path, pid: lock.replaced.pid, host: lock.replaced.host, since: localTime(lock.replaced.since) });
  // Every ending of a followed send is settled by the scenario's ledger, as the send's own endings are.
  const ledger = new SendLedger(ctx, scenario, outcomes);
  try {
    // Under the lock, what its previous holder wrote is indexed first.
    await index.catchUp();
    const open = await index.openPendings(scenario.name);
    const asked = await readAsked(ctx.config.root, scenario.name);
    const { everyMs } = receiptsOf(scenario);
    const now = ctx.now();
    const due = open.filter((o) => isDue(o, asked[o.pending.path ?? ''], everyMs, now));
    if (due.length === 0) return;
    ctx.onEvent({ type: 'scenario', scenario: scenario.name, phase: 'follow' });
    const dir = spoolPaths(ctx.config).received(scenario.profile);
    // Receipts of killed runs: removed unless a `placing` line (a retrieval's, or one of these) points at them.
    const keep = new Set([...(await index.unfinishedPlacingPaths()), ...open.flatMap((o) => (o.latest.partial === undefined ? [] : [o.latest.partial]))]);
    await removeLeftoverPartials(dir, keep, now.getTime());
    const follower = new Follower(ctx, scenario, ledger, asked, outcomes);
    try {
      await withHooks(ctx, scenario, outcomes, async () => {
        let session: ProtocolSession;
        try {
          session = (await openSession(ctx, scenario)).session;
        } catch (error) {
          outcomes.problem(sessionProblem(ctx, scenario, error));
          return;
        }
        try {
          await follower.run(session, due);
        } finally {
          await session.close().catch(() => undefined);
        }
      });
    } finally {
      await writeAsked(ctx.config.root, scenario.name, asked, new Set(open.map((o) => o.pending.path ?? '')));
    }
  } finally {
    await ledger.close();
    lock.release();
  }
}

type Verdict = 'acknowledged' | 'refused';

/** One scenario's follow-up: each due send asked about in turn; `stop` when the partner cannot be asked. */
class Follower {
  private readonly counters: CounterStore;
  private readonly dir: string;

  constructor(
    private readonly ctx: EngineContext,
    private readonly scenario: ScenarioConfig,
    private readonly ledger: SendLedger,
    private readonly asked: AskedTimes,
    private readonly outcomes: Outcomes,
  ) {
    this.counters = openCounterStore(ctx.config);
    this.dir = spoolPaths(ctx.config).received(scenario.profile);
  }

  async run(session: ProtocolSession, due: OpenPending[]): Promise<void> {
    for (const open of due) {
      if (this.ctx.signal.aborted) {
        this.outcomes.interrupted = true;
        return;
      }
      if (open.latest.state === 'placing' && (await this.resumePlacing(open))) continue;
      if (await this.ask(session, open)) return;
    }
  }

  /** Asks the partner about one send (retrying transient trouble); true when the scenario's follow-up stops. */
  private async ask(session: ProtocolSession, open: OpenPending): Promise<boolean> {
    const { ctx, scenario } = this;
    const { pending } = open;
    const path = pending.path ?? '';
    if (session.follow === undefined) throw new TypeError(`${scenario.protocol}: a session without follow()`);
    await mkdir(this.dir, { recursive: true });
    const partial = partialPathFor(this.dir, `${pending.file}_ACK.xml`);
    const startedAt = ctx.now();
    ctx.log.debug('engine.follow.asking', { scenario: scenario.name, file: pending.file, remoteId: pending.remoteId ?? '' });
    for (let attempt = 1; ; attempt++) {
      let result: FollowResult;
      try {
        result = await session.follow(pendingSendOf(pending), partial, { signal: ctx.signal });
      } catch (error) {
        await rm(partial, { force: true }).catch(() => undefined);
        if (isAbort(error) || ctx.signal.aborted) {
          this.outcomes.interrupted = true;
          return true;
        }
        if (isSystemError(error)) throw error;
        const retry = await this.retryOrStop(open, error, attempt, startedAt);
        if (retry === 'retry') continue;
        return retry;
      }
      this.asked[path] = { asked: ctx.now().toISOString() };
      await this.answer(open, result, partial);
      return false;
    }
  }

  /** After a failed question: `retry` (the wait done), or whether the scenario's follow-up stops. */
  private async retryOrStop(open: OpenPending, error: unknown, attempt: number, startedAt: Date): Promise<'retry' | boolean> {
    const { ctx, scenario } = this;
    const { pending } = open;
    const reason = describeFailure(error);
    const transfer = isTransferError(error) ? error : undefined;
    const retryAfterMs = transfer?.retryAfterMs;
    if (transfer?.kind === 'transient') {
      const { attempts, backoffMs, maxDelayMs, maxTimeMs } = scenario.retries;
      const delay = backoffDelay(attempt, backoffMs, maxDelayMs, retryAfterMs);
      const elapsed = ctx.now().getTime() - startedAt.getTime();
      if (delay !== undefined && attempt < attempts && elapsed + delay <= maxTimeMs) {
        ctx.log.warn('engine.follow.retrying', { scenario: scenario.name, file: pending.file, reason, attempt, attempts, seconds: Math.round(delay / 100) / 10 });
        ctx.onEvent({ type: 'wait', scenario: scenario.name, ms: delay, reason: 'backoff' });
        if (await pause(delay, ctx.signal)) return 'retry';
        this.outcomes.interrupted = true;
        return true;
      }
    }
    // Not asked again sooner than `receipts.every`, nor before the partner's Retry-After runs out.
    const now = ctx.now();
    this.asked[pending.path ?? ''] = { asked: now.toISOString(), ...(retryAfterMs === undefined ? {} : { until: new Date(now.getTime() + retryAfterMs).toISOString() }) };
    const fix = failureFix(error);
    const params = { scenario: scenario.name, file: pending.file, remoteId: pending.remoteId ?? '', reason };
    const stops = transfer === undefined || transfer.kind === 'transient' || transfer.connection;
    this.outcomes.problem(
      scenarioProblem(ctx, scenario.name, t('engine.follow.failedToAsk', params), {
        ...(fix === undefined ? {} : { fix }),
        ...(stops && transfer !== undefined ? { connection: true } : {}),
      }),
    );
    // The partner's or the connection's trouble: the other sends wait for the next run. A permanent
    // error about this one send (a document the partner no longer knows) leaves the others to ask.
    return stops;
  }

  private async answer(open: OpenPending, result: FollowResult, partial: string): Promise<void> {
    const { ctx, scenario } = this;
    const { pending } = open;
    if (result.state === 'pending') {
      await rm(partial, { force: true });
      ctx.log.debug('engine.follow.stillPending', { scenario: scenario.name, file: pending.file, remoteId: pending.remoteId ?? '' });
      return;
    }
    if (result.state === 'failed') {
      await rm(partial, { force: true });
      const text = t(result.key, result.params ?? {});
      const reason = result.serverMessage === undefined ? text : `${text} (${result.serverMessage})`;
      const fix = result.fixKey === undefined ? undefined : t(result.fixKey, result.params ?? {});
      await this.settle(pending, 'failed', {
        line: { reason, ...(fix === undefined ? {} : { fix }) },
        log: { level: 'error', key: 'engine.follow.failed', params: { remoteId: pending.remoteId ?? '', reason, fix: fix ?? '' } },
        outcome: { reason },
      });
      return;
    }
    const reason = result.state === 'refused' ? result.reason : undefined;
    if (result.receipt === undefined) {
      await rm(partial, { force: true });
      await this.close(pending, result.state, reason, undefined);
      return;
    }
    const size = (await stat(partial)).size;
    const sha256 = await sha256File(partial, size);
    const plan = resolvePlan(ctx.config.naming, scenario.naming);
    const naming = await applyNamingPlan(plan, { name: result.receipt.name, profile: scenario.profile, now: ctx.now(), counters: this.counters, dryRun: false });
    for (const note of naming.notes) ctx.log.info(note.key, { ...note.params, scenario: scenario.name });
    // Journaled (and flushed) before the receipt's name exists: a run killed from here on finds it.
    await this.record(pending, 'placing', {
      partial,
      wanted: naming.name,
      receiptSize: size,
      receiptSha256: sha256,
      verdict: result.state,
      ...(reason === undefined ? {} : { reason }),
    });
    const placed = await placeFile(partial, this.dir, naming.name);
    if (placed.collided) ctx.log.warn('engine.nameCollision', { scenario: scenario.name, wanted: naming.name, name: placed.name });
    await this.close(pending, result.state, reason, placed.path);
  }

  /**
   * A run was stopped between a receipt's `placing` line and the send's closing line: the receipt is
   * placed now from its partial file, or found placed (same file, or same size and sha256). False when
   * neither is there: the partner is asked again.
   */
  private async resumePlacing(open: OpenPending): Promise<boolean> {
    const { ctx, scenario } = this;
    const { pending, latest } = open;
    const wanted = latest.wanted ?? `${pending.file}_ACK.xml`;
    const partialInfo = latest.partial === undefined ? undefined : await stat(latest.partial).catch(() => undefined);
    let path: string | undefined;
    if (latest.partial !== undefined && partialInfo?.isFile() === true && partialInfo.size === latest.receiptSize) {
      path = await findPlaced(this.dir, wanted, (_candidate, info) => Promise.resolve(info.ino === partialInfo.ino && info.dev === partialInfo.dev));
      if (path !== undefined) await rm(latest.partial, { force: true });
      else path = (await placeFile(latest.partial, this.dir, wanted)).path;
    } else {
      path = await findPlaced(this.dir, wanted, async (candidate, info) => info.size === latest.receiptSize && (await sha256File(candidate, info.size)) === latest.receiptSha256);
    }
    if (path === undefined) {
      ctx.log.warn('engine.follow.receiptLost', { scenario: scenario.name, file: pending.file, name: wanted });
      return false;
    }
    ctx.log.warn('engine.follow.receiptResumed', { scenario: scenario.name, file: pending.file, path });
    await this.close(pending, latest.verdict ?? 'acknowledged', latest.reason, path, true);
    return true;
  }

  /** The partner's final word: journal, log, outcome. */
  private async close(pending: JournalEntry, verdict: Verdict, reason: string | undefined, receipt: string | undefined, resumed = false): Promise<void> {
    const facts = { ...(reason === undefined ? {} : { reason }), ...(receipt === undefined ? {} : { receipt }) };
    const params = { remoteId: pending.remoteId ?? '', receipt: receipt ?? '—', reason: reason ?? '' };
    await this.settle(pending, verdict, {
      line: facts,
      log: verdict === 'acknowledged' ? { level: 'info', key: 'engine.follow.acknowledged', params } : { level: 'error', key: 'engine.follow.refused', params },
      outcome: { ...facts, ...(resumed ? { resumed } : {}) },
    });
  }

  /** The line of a followed send: the facts of its `pending` line (queue path, size, sha256, partner's id), and `extra`. */
  private line(pending: JournalEntry, state: JournalEntry['state'], extra: Partial<SendLine>): SendLine {
    return {
      state,
      ...(pending.path === undefined ? {} : { path: pending.path }),
      ...(pending.size === undefined ? {} : { size: pending.size }),
      ...(pending.sha256 === undefined ? {} : { sha256: pending.sha256 }),
      ...(pending.remoteId === undefined ? {} : { remoteId: pending.remoteId }),
      ...extra,
    };
  }

  /** A line that does not end the follow-up (`placing`). */
  private async record(pending: JournalEntry, state: JournalEntry['state'], extra: Partial<SendLine>): Promise<void> {
    await this.ledger.record(pending.file, this.line(pending, state, extra));
  }

  /** The partner's final word, settled by the ledger: journal line, log line, `file-end`, outcome. */
  private async settle(pending: JournalEntry, status: 'acknowledged' | 'refused' | 'failed', ending: { line: Partial<SendLine>; log: LogLine; outcome: Partial<FileOutcome> }): Promise<void> {
    await this.ledger.settle(pending.file, {
      status,
      line: this.line(pending, status, ending.line),
      log: ending.log,
      outcome: {
        followed: true,
        ...(pending.size === undefined ? {} : { size: pending.size }),
        ...(pending.sha256 === undefined ? {} : { sha256: pending.sha256 }),
        ...(pending.remoteId === undefined ? {} : { remoteId: pending.remoteId }),
        endedAt: this.ctx.now().toISOString(),
        ...ending.outcome,
      },
    });
  }
}

/** `key=value` pairs of a send's steps or follow facts (where to look at the partner), for a message. */
export function describeFacts(follow: SendSteps | undefined): string {
  return Object.entries(follow ?? {}).map(([key, value]) => `${key}=${value}`).join(', ');
}
