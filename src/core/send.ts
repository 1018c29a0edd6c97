// Sending: one file's journey (docs/engine.md): detect → claim → backup → journal → send → settle,
// with recovery of interrupted work at the start of every run. Every ending is settled by the
// scenario's SendLedger (journal line, log line, `file-end` event, outcome).
import { closeSync, openSync, statSync } from 'node:fs';
import { stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { ScenarioConfig } from '../config/model.js';
import { inEveryLang, t } from '../i18n/index.js';
import { isTransferError, type ProtocolSession, type SendItem, type SendSteps, type VerifyResult } from '../protocols/contract.js';
import type { EngineContext, Selection } from './context.js';
import { LockHeldError, UsageError } from '../shared/errors.js';
import { syncDirectory } from '../shared/durable-files.js';
import { sha256Beside, sha256File } from '../shared/hash.js';
import { localTime } from '../shared/local-time.js';
import { withHooks } from './hooks.js';
import type { JournalEntry, JournalState } from './journal.js';
import { JournalIndex } from './journal-index.js';
import { pathKey } from './journal-index-keys.js';
import { acquireLock } from '../shared/lock.js';
import { Outcomes } from './outcome.js';
import { SendLedger, type LogLine, type SendLine } from './send-ledger.js';
import { spoolPaths } from '../shared/paths.js';
import { openSession } from './protocol-session.js';
import { describeLocalFailure, isSystemError, located } from './local-failure.js';
import {
  claim, copyIntoQueue, discardBackup, dropClaim, finishClaim, hasQueuedItems, matchOldClaim, newItemId, orphanClaims, placeBackup, queuedCopyOf, queuedItems,
  releaseClaim, removeItem, removeLeftovers, SpareFolders, stageBackup, unshareBackup, type OrphanClaim, type QueueItem, type StagedBackup,
} from './queue.js';
import type { CycleResult, FileOutcome } from './results.js';
import { readyFiles } from './scan.js';
import { findScenario, selectScenarios } from './select.js';
import { backoffDelay, pause } from '../shared/wait.js';
import { retrieveScenarios } from './retrieve.js';
import { describeFailure, failureFix, scenarioProblem, sessionProblem } from './failure.js';
import { describeFacts } from './follow.js';
import { failedItemPath, forgetSetAside, moveToFailed, resendCommand } from './failed-items.js';
import { intakeOf } from './intake.js';

export interface SendRequest {
  selection: Selection;
  /** Files given on the command line (already read from stdin for `-`). */
  files?: string[];
  retrieveAfter: boolean;
}

/** How many months of journal are read to recognise content already acknowledged. */
const DUPLICATE_WINDOW_MONTHS = 13;

export async function send(ctx: EngineContext, request: SendRequest): Promise<CycleResult> {
  const startedAt = ctx.now();
  const outcomes = new Outcomes();
  const sentIn = await sendScenarios(ctx, request, outcomes);
  if (request.retrieveAfter && !outcomes.interrupted) {
    const after = sentIn.filter((s) => s.retrieve.enabled && s.retrieve.afterSend);
    await retrieveScenarios(ctx, after, outcomes, { listOnly: false, onlyCapable: true });
  }
  return outcomes.result('send', ctx.dryRun, startedAt, ctx.now());
}

/** Sends for the selected scenarios; returns the scenarios in which at least one file was transferred. */
export async function sendScenarios(ctx: EngineContext, request: SendRequest, outcomes: Outcomes): Promise<ScenarioConfig[]> {
  const files = request.files !== undefined && request.files.length > 0 ? request.files : undefined;
  let scenarios: ScenarioConfig[];
  if (files !== undefined) {
    const [name, ...others] = request.selection.scenarios;
    if (name === undefined || others.length > 0) throw new UsageError('engine.sendNeedsScenario');
    const scenario = findScenario(ctx.config, name);
    scenarios = scenario === undefined ? selectScenarios(ctx.config, request.selection) : [scenario];
  } else {
    scenarios = await withWork(ctx, selectScenarios(ctx.config, request.selection));
  }
  const history = new SendHistory(new JournalIndex(ctx.config.root, { log: (key, params) => ctx.log.warn(key, params) }), () => ctx.now());
  const done: ScenarioConfig[] = [];
  for (const scenario of scenarios) {
    if (ctx.signal.aborted) {
      outcomes.interrupted = true;
      break;
    }
    try {
      await sendScenario(ctx, scenario, history, outcomes, files);
    } catch (error) {
      if (!isSystemError(error)) throw error;
      // A full or failing disk stops this scenario only: the others, and retrieval, still go.
      const failure = await describeLocalFailure(error, spoolPaths(ctx.config).queue(scenario.name), undefined);
      outcomes.problem(scenarioProblem(ctx, scenario.name, t('engine.local.scenario', { reason: failure.reason }), { fix: failure.fix }));
    }
    if (outcomes.transferredIn(scenario.name) > 0) done.push(scenario);
  }
  if (ctx.signal.aborted) outcomes.interrupted = true;
  return done;
}

/** Scenarios with a source folder to scan, or with queued items to take up (a file queued by `send --scenario S file`). */
async function withWork(ctx: EngineContext, scenarios: ScenarioConfig[]): Promise<ScenarioConfig[]> {
  const out: ScenarioConfig[] = [];
  for (const scenario of scenarios) {
    if (scenario.source !== undefined || (await hasQueuedItems(ctx.config.root, scenario.name))) out.push(scenario);
  }
  return out;
}

interface Candidate {
  path: string;
  name: string;
}

/**
 * What the journal says about sends: the last state of each queued path, and the content already
 * acknowledged per scenario, asked to the journal index (docs/engine.md, "Journal index"). The only
 * place the send side reads the journal's history.
 */
class SendHistory {
  /** Set when a scenario's lock is taken: the index catches up before the next question. */
  private stale = true;

  constructor(
    private readonly index: JournalIndex,
    private readonly now: () => Date,
  ) {}

  /** The scenario's lock is held: what its previous holder wrote is to be indexed before answering. */
  locked(): void {
    this.stale = true;
  }

  async lastState(path: string): Promise<JournalEntry | undefined> {
    await this.ready();
    return this.index.lastSend(path);
  }

  /** The steps journaled for the queued item at `path` (see stepsOf); read only for an item taken up again. */
  async steps(path: string): Promise<SendSteps | undefined> {
    await this.ready();
    return stepsOf(await this.index.lookupAll(pathKey(path)));
  }

  /** The backup named on the item's `sending` lines (the latest), if any. */
  async backup(path: string): Promise<string | undefined> {
    await this.ready();
    const lines = await this.index.lookupAll(pathKey(path));
    return lines.findLast((line) => line.state === 'sending' && line.backup !== undefined)?.backup;
  }

  /** The latest acknowledgement of this content in the scenario, when in the duplicate window (13 calendar months). */
  async acknowledgement(scenario: string, sha256: string): Promise<JournalEntry | undefined> {
    await this.ready();
    const entry = await this.index.acknowledged(scenario, sha256);
    // The partner's latest word on this content may be a refusal (or an error on its side): not "already sent".
    if (entry === undefined || entry.state === 'refused' || entry.state === 'failed') return undefined;
    const now = this.now();
    const since = new Date(now.getFullYear(), now.getMonth() - (DUPLICATE_WINDOW_MONTHS - 1), 1);
    return Date.parse(entry.time) >= since.getTime() ? entry : undefined;
  }

  private async ready(): Promise<void> {
    if (!this.stale) return;
    await this.index.catchUp();
    this.stale = false;
  }
}

async function sendScenario(
  ctx: EngineContext,
  scenario: ScenarioConfig,
  history: SendHistory,
  outcomes: Outcomes,
  explicitFiles: string[] | undefined,
): Promise<void> {
  const paths = spoolPaths(ctx.config);
  ctx.onEvent({ type: 'scenario', scenario: scenario.name, phase: 'send' });
  let lock;
  try {
    if (!ctx.dryRun) lock = await acquireLock(paths.lock(`scenario-${scenario.name}`), { command: ctx.command });
  } catch (error) {
    if (error instanceof LockHeldError) {
      ctx.log.warn('engine.lockHeld', error.params);
      outcomes.problem({ scenario: scenario.name, message: error.describe(), fix: error.fix() ?? '', lockHeld: true });
      return;
    }
    throw error;
  }
  if (lock?.replaced) ctx.log.warn('engine.staleLockReplaced', { lock: lock.path, pid: lock.replaced.pid, host: lock.replaced.host, since: localTime(lock.replaced.since) });
  history.locked();
  const ledger = new SendLedger(ctx, scenario, outcomes);
  const spares = new SpareFolders(paths.queue(scenario.name), SPARE_FOLDERS);
  try {
    if (!ctx.dryRun) {
      await removeAbandonedTemporaries(ctx, scenario);
      await recoverOrphanClaims(ctx, scenario, history, ledger);
    }
    const queued = await queuedItems(ctx.config.root, scenario.name);
    const candidates = explicitFiles !== undefined ? await givenFiles(explicitFiles, ledger) : await detected(ctx, scenario, outcomes);
    if (queued.length === 0 && candidates.length === 0) {
      ctx.log.debug('engine.nothingToSend', { scenario: scenario.name });
      return;
    }
    if (ctx.dryRun) {
      await wouldSend(ledger, queued, candidates);
      return;
    }
    await withHooks(ctx, scenario, outcomes, async () => {
      let opened;
      try {
        opened = await openSession(ctx, scenario);
      } catch (error) {
        reportSessionFailure(ctx, scenario, outcomes, error);
        return;
      }
      const { session } = opened;
      try {
        const pipeline = new SendPipeline(ctx, scenario, session, history, ledger, outcomes, spares);
        await pipeline.run(queued, candidates);
      } finally {
        await session.close().catch(() => undefined);
      }
    });
  } finally {
    await ledger.close();
    spares.release();
    lock?.release();
  }
}

/** --dry-run: what would be sent, queued items first. */
async function wouldSend(ledger: SendLedger, queued: QueueItem[], candidates: Candidate[]): Promise<void> {
  for (const item of queued) await ledger.settle(item.name, { status: 'would-send', outcome: { localPath: item.path, resumed: true } });
  for (const file of candidates) await ledger.settle(file.name, { status: 'would-send', outcome: { localPath: file.path } });
}

function reportSessionFailure(ctx: EngineContext, scenario: ScenarioConfig, outcomes: Outcomes, error: unknown): void {
  outcomes.problem(sessionProblem(ctx, scenario, error));
}

/** Temporaries of dead runs of this host (hidden queue items being filled, backup copies being written). */
async function removeAbandonedTemporaries(ctx: EngineContext, scenario: ScenarioConfig): Promise<void> {
  for (const folder of [spoolPaths(ctx.config).queue(scenario.name), scenario.backup.dir]) {
    const removed = await removeLeftovers(folder);
    if (removed.length > 0) ctx.log.info('engine.leftoversRemoved', { scenario: scenario.name, count: removed.length, folder });
  }
}

/**
 * Claims left in the source folder by a run of this host that died before finishing them: each is
 * finished exactly once (see finishClaim). One that cannot be finished now goes back to its name.
 */
async function recoverOrphanClaims(ctx: EngineContext, scenario: ScenarioConfig, history: SendHistory, ledger: SendLedger): Promise<void> {
  if (scenario.source === undefined) return;
  for (const orphan of await orphanClaims(scenario.source)) {
    try {
      const verified = await recoverClaim(ctx, scenario, orphan, history);
      ctx.log.warn(verified ? 'engine.orphanClaimVerified' : 'engine.orphanClaimRecovered', { scenario: scenario.name, file: orphan.name });
    } catch (error) {
      if (!isSystemError(error)) throw error;
      const original = join(dirname(orphan.path), orphan.name);
      await releaseClaim(orphan.path, original);
      const size = sizeOf(original);
      const failure = await describeLocalFailure(located(error, spoolPaths(ctx.config).queue(scenario.name)) as typeof error, original, size);
      await deferLocally(ctx, ledger, { name: orphan.name, path: original, size, failure, inSource: true, journaled: true });
    }
  }
}

/** Finishes one orphan claim; true when its queue item was already complete (only the claim file was left). */
async function recoverClaim(ctx: EngineContext, scenario: ScenarioConfig, orphan: OrphanClaim, history: SendHistory): Promise<boolean> {
  const base = spoolPaths(ctx.config).queue(scenario.name);
  if (orphan.id !== undefined) return (await finishClaim(orphan.path, base, orphan.id, orphan.name)).wasComplete;
  // A claim of an older version names no item: an unjournaled item of the same name may be its copy.
  for (const item of await queuedItems(ctx.config.root, scenario.name)) {
    if (item.name !== orphan.name || (await history.lastState(item.path)) !== undefined) continue;
    const match = await matchOldClaim(orphan.path, item);
    if (match === 'complete') {
      await dropClaim(orphan.path);
      return true;
    }
    if (match === 'partial') await removeItem(item);
  }
  await finishClaim(orphan.path, base, newItemId(ctx.now()), orphan.name);
  return false;
}

interface LocalDeferral {
  name: string;
  /** Where the file is now (the source folder, or its queue item). */
  path: string;
  size: number | undefined;
  failure: Awaited<ReturnType<typeof describeLocalFailure>>;
  inSource: boolean;
  /**
   * Whether the deferral may be journaled: not once the item was handed to the protocol, when its
   * `sending` (or later) line must stand, so that the next run checks with the partner before sending again.
   */
  journaled: boolean;
}

/** Local deferrals already journaled by this run (watch cycles would otherwise repeat them every interval). */
const deferredThisRun = new Set<string>();

/**
 * A file held back by this machine's filesystem: reported every time, logged with the fix and journaled
 * `deferred` once per run (best effort: the journal may be on the full disk).
 */
async function deferLocally(ctx: EngineContext, ledger: SendLedger, d: LocalDeferral): Promise<void> {
  const { failure } = d;
  const key = `${ctx.runId}\u0000${d.path}\u0000${failure.code}`;
  const first = !deferredThisRun.has(key);
  deferredThisRun.add(key);
  const size = d.size === undefined ? {} : { size: d.size };
  const line: SendLine = { state: 'deferred', path: d.path, reason: failure.reason, code: failure.code, folder: failure.folder, ...size };
  await ledger.settle(d.name, {
    status: 'deferred',
    ...(first && d.journaled ? { line, lineBestEffort: true } : {}),
    log: { level: first ? 'warn' : 'debug', key: d.inSource ? 'engine.local.inSource' : 'engine.local.inQueue', params: { reason: failure.reason, path: d.path, fix: failure.fix } },
    outcome: { localPath: d.path, reason: failure.reason, ...(d.inSource ? { inSource: true } : {}), ...size },
  });
}

/** Which folder a failed claim is about: the queue's when it is full, else the source's. */
function claimFolder(error: unknown, queue: string, source: string): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOSPC' || code === 'EDQUOT' ? queue : source;
}

/**
 * Whether this account can read the file, checked before claiming it: undefined when it can, else the
 * error. The per-file checks of a batch are made in this thread: each is a few microseconds, where a trip
 * through libuv's thread pool costs more than the call (docs/performance.md).
 */
function cannotRead(path: string): unknown {
  try {
    closeSync(openSync(path, 'r'));
    return undefined;
  } catch (error) {
    return error;
  }
}

/** The file's size now; undefined when it cannot be seen. */
function sizeOf(path: string): number | undefined {
  try {
    return statSync(path).size;
  } catch {
    return undefined;
  }
}

async function detected(ctx: EngineContext, scenario: ScenarioConfig, outcomes: Outcomes): Promise<Candidate[]> {
  const found = await readyFiles(scenario, ctx.signal);
  if (found.problem) {
    ctx.log.error('engine.scenarioProblem', { scenario: scenario.name, reason: found.problem.message });
    outcomes.problem(found.problem);
  }
  for (const folder of found.unreadable) ctx.log.warn('engine.unreadableFolder', { scenario: scenario.name, path: folder });
  return found.files.map((f) => ({ path: f.path, name: basename(f.path) }));
}

/** The files given on the command line; one that cannot be read is settled as failed. */
async function givenFiles(files: string[], ledger: SendLedger): Promise<Candidate[]> {
  const out: Candidate[] = [];
  for (const file of files) {
    const path = resolve(file);
    try {
      const s = await stat(path);
      if (!s.isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
      out.push({ path, name: basename(path) });
    } catch (error) {
      const params = { path, code: (error as NodeJS.ErrnoException).code ?? '' };
      await ledger.settle(basename(path), {
        status: 'failed',
        log: { level: 'error', key: 'engine.givenFileMissing', params },
        outcome: { original: path, reason: t('engine.givenFileMissing', params) },
      });
    }
  }
  return out;
}

/** One queued item on its way: what its journal lines and its outcome repeat. */
interface Sending {
  item: QueueItem;
  /** `resume`: the steps journaled so far (earlier runs', and this run's earlier attempts'). */
  file: SendItem;
  /** Outcome fields of every ending: size and sha256; once handed to the protocol, resumed and startedAt too. */
  facts: Partial<FileOutcome>;
  /** A step the journal could not hold: the send stops on this machine's failure. */
  stepFailure?: Error;
  /** The backup this run placed for the item (earlier runs': on its journal's `sending` line). */
  backup?: string;
  /** A big new file whose transfer starts while it is hashed (see sendEarly). */
  early?: EarlyStart;
}

/**
 * What a big new file still needs before its `sending` line while its transfer has started: its hash and
 * its backup, under way beside the transfer; `prepared` once everything before the line is done (see prepared()).
 */
interface EarlyStart {
  hashing: Promise<string>;
  staging: Promise<StagedBackup>;
  prepared?: Promise<boolean>;
}

/**
 * The protocol is told the file must not appear (duplicate content, a backup in the way: the item was set
 * aside) — given back by the protocol unchanged, it ends the attempt.
 */
class EndedBeforePublishing extends Error {
  constructor() {
    super('the file ended before it was published');
  }
}

/** An item examined and to be sent: its backup staged (a new item) and whether it resumes an interrupted send. */
interface Examined {
  sending: Sending;
  resumed: boolean;
  staging: Promise<StagedBackup> | undefined;
}

/** The contents and names of a batch's files: a file with either waits for the next batch (see examine). */
interface BatchContents {
  contents: Set<string>;
  names: Set<string>;
}

/**
 * A batch's bounds: enough small files to share their flushes, few enough that a cut connection leaves
 * little claimed and unsent; a big file goes alone (its flushes cost little beside its transfer).
 */
const BATCH_FILES = 64;
const BATCH_BYTES = 8 * 1024 * 1024;
/**
 * From this size a new file's transfer starts while it is hashed, where the protocol publishes last: its
 * hash (~1 s per GiB) and backup flush then cost nothing beside the transfer. Files of a batch do not.
 */
const EARLY_START_BYTES = BATCH_BYTES;
/** A batch's items are removed while the next batch is claimed: two batches' folders serve every claim. */
const SPARE_FOLDERS = 2 * BATCH_FILES;

/** The last states of a send cut before its end: the partner is asked (`verify`) before it goes again. */
const INTERRUPTED = new Set<string>(['sending', 'uncertain', 'resumed', 'step']);

/** Whether the journal's last word on a queued item says the partner has it (the queued copy is a leftover). */
function acceptedByPartner(last: JournalEntry): boolean {
  if (last.state === 'sent' || last.state === 'pending' || last.state === 'acknowledged' || last.state === 'refused') return true;
  // After `pending`: a receipt being placed, or the partner's error (a `failed` naming the partner's id).
  return (last.state === 'placing' && last.direction === 'send') || (last.state === 'failed' && last.remoteId !== undefined);
}

/**
 * The steps of a send of several requests, from the lines of its queue item: those since the `sending`
 * line that first handed it to the protocol (the one naming its backup; a later `sending`, after a
 * deferral, is another attempt of the same transmission), merged in order, later keys winning.
 */
export function stepsOf(lines: readonly JournalEntry[]): SendSteps | undefined {
  let start = 0;
  lines.forEach((line, at) => {
    if (line.state === 'sending' && line.backup !== undefined) start = at;
  });
  let steps: SendSteps | undefined;
  for (const line of lines.slice(start)) {
    // Read back from the journal: the field is not trusted to be an object.
    const step = line.step as unknown;
    if (line.state === 'step' && typeof step === 'object' && step !== null) steps = { ...steps, ...(step as SendSteps) };
  }
  return steps;
}

class SendPipeline {
  private first = true;
  /** Items copied into the queue from a given file outside the source folder → where the original stays. */
  private readonly originals = new Map<string, string>();
  /** The file expected after the one being sent, if any (see hintAfter). */
  private nextName: string | undefined;

  constructor(
    private readonly ctx: EngineContext,
    private readonly scenario: ScenarioConfig,
    private readonly session: ProtocolSession,
    private readonly history: SendHistory,
    private readonly ledger: SendLedger,
    private readonly outcomes: Outcomes,
    private readonly spares: SpareFolders,
  ) {}

  /** The journal's last word on a queued path. */
  private lastState(path: string): Promise<JournalEntry | undefined> {
    return this.history.lastState(path);
  }

  /** The acknowledged send of the same content in this scenario, if any. */
  private acknowledgement(sha256: string): Promise<JournalEntry | undefined> {
    return this.history.acknowledgement(this.scenario.name, sha256);
  }

  /**
   * Removes an item the journal already says is acknowledged. Best effort: an item left behind is only
   * removed by the next run (its journal says sent), never deferred nor sent again.
   */
  private async forget(item: QueueItem): Promise<void> {
    await removeItem(item, this.spares).catch(() => undefined);
  }

  /** The item's journal line in `state`: every line of a send names its size, content and queue path. */
  private line({ item, file }: Sending, state: JournalState, extra: Partial<SendLine> = {}): SendLine {
    return { state, size: file.size, sha256: file.sha256, path: item.path, ...extra };
  }

  /** Whether the partner has the item; `unknown` when the protocol cannot tell. */
  private async verify(file: SendItem): Promise<VerifyResult> {
    return this.session.verify ? await this.session.verify(file).catch(() => 'unknown' as const) : 'unknown';
  }

  async run(queued: QueueItem[], candidates: Candidate[]): Promise<void> {
    const order = [...queued.map((item) => item.name), ...candidates.map((candidate) => candidate.name)];
    let position = 0;
    for (const item of queued) {
      if (!(await this.between())) return;
      this.nextName = this.hintAfter(order, position++);
      const stop = await this.processSafely(item, true);
      if (stop) return;
    }
    if (this.inBatches()) {
      await this.sendInBatches(candidates);
      return;
    }
    for (const candidate of candidates) {
      if (!(await this.between())) return;
      this.nextName = this.hintAfter(order, position++);
      const item = await this.claimCandidate(candidate);
      if (item === undefined) continue;
      const stop = await this.processSafely(item, false);
      if (stop) return;
    }
  }

  /**
   * New files go in batches where a `sending` line lost in a power cut is repaired by asking the partner
   * (verify), and where nothing spaces the sends out (docs/engine.md, "New files in batches").
   */
  private inBatches(): boolean {
    return this.session.verify !== undefined && this.scenario.delays.sendMs === 0;
  }

  /**
   * Up to BATCH_FILES files (or BATCH_BYTES) are claimed, hashed and checked; their backups, started
   * together, are flushed together, the backup folder once, and their `sending` lines in one journal flush
   * (with the previous batch's `sent` lines); then they are sent one after the other.
   */
  private async sendInBatches(candidates: Candidate[]): Promise<void> {
    let next = 0;
    /** Claimed, examined `later`: the first of the next batch. */
    let carried: QueueItem | undefined;
    while (carried !== undefined || next < candidates.length) {
      if (!(await this.between())) return;
      const batch: Examined[] = [];
      const inBatch: BatchContents = { contents: new Set(), names: new Set() };
      let bytes = 0;
      /** A big file to send alone, with its size (see startsEarly). */
      let alone: { item: QueueItem; size: number } | undefined;
      while (batch.length < BATCH_FILES && bytes < BATCH_BYTES && !this.aborted()) {
        let item = carried;
        carried = undefined;
        if (item === undefined) {
          const candidate = candidates[next++];
          if (candidate === undefined) break;
          item = await this.claimCandidate(candidate);
          if (item === undefined) continue;
        }
        const claimed = item;
        const examined = await this.safely(claimed, async () => {
          const last = await this.lastState(claimed.path);
          const size = statSync(claimed.path).size;
          return this.startsEarly(last, size) ? { alone: size } : this.examine(claimed, false, last, size, inBatch);
        });
        if (typeof examined === 'object' && 'alone' in examined) {
          // Sent alone, after the files before it (its transfer starts before its `sending` line: see sendEarly).
          if (batch.length > 0) carried = claimed;
          else alone = { item: claimed, size: examined.alone };
          break;
        }
        if (examined === 'later') {
          carried = claimed;
          break;
        }
        if (examined === undefined) continue;
        batch.push(examined);
        inBatch.contents.add(examined.sending.file.sha256);
        inBatch.names.add(claimed.name);
        bytes += examined.sending.file.size;
      }
      if (this.aborted()) {
        // Claimed and examined, nothing journaled: the next run takes them up as new queued items.
        await Promise.all(batch.map((examined) => discardBackup(examined.staging)));
        await this.stopped([], batch.length + (carried === undefined ? 0 : 1) + (alone === undefined ? 0 : 1));
        return;
      }
      if (alone !== undefined) {
        this.nextName = candidates[next]?.name;
        const { item, size } = alone;
        if ((await this.safely(item, () => this.sendEarly(item, size))) === true) return;
        continue;
      }
      const ready = await this.commitBatch(batch);
      const untouched = carried === undefined ? 0 : 1;
      for (const [at, examined] of ready.entries()) {
        if (this.aborted()) {
          await this.stopped(ready.slice(at), untouched);
          return;
        }
        this.nextName = ready[at + 1]?.sending.item.name ?? carried?.name ?? candidates[next]?.name;
        const stop = await this.safely(examined.sending.item, () => this.attempt(examined.sending, false));
        if (stop === true) {
          await this.stopped(ready.slice(at + 1), untouched);
          return;
        }
      }
    }
  }

  /** Read afresh each time: a signal can come during any await. */
  private aborted(): boolean {
    return this.ctx.signal.aborted;
  }

  /**
   * The run stops with files of a batch claimed and not sent: they stay queued for the next run. Those
   * journaled `sending` (`unsent`) get a `deferred` line — they never reached the protocol, so the next run
   * sends them without asking the partner first (best effort: without it, their `sending` line stands and
   * the partner is asked). `untouched` ones have no line yet and are taken up as new.
   */
  private async stopped(unsent: readonly Examined[], untouched: number): Promise<void> {
    if (this.aborted()) this.outcomes.interrupted = true;
    const reason = t('engine.batchNotSent');
    for (const { sending } of unsent) {
      await this.ledger.record(sending.item.name, this.line(sending, 'deferred', { reason, attempts: 0 }), 'later').catch(() => undefined);
    }
    const count = unsent.length + untouched;
    if (count > 0) this.ctx.log.info('engine.batchLeftQueued', { scenario: this.scenario.name, count });
  }

  /**
   * A batch's backups placed (their folder synced once), then its `sending` lines flushed in one go: each
   * file's backup is on disk before its line, and its line before it leaves. Returns the files to send.
   */
  private async commitBatch(batch: Examined[]): Promise<Examined[]> {
    const placed: Examined[] = [];
    for (const examined of batch) {
      const kept = await this.safely(examined.sending.item, async () => {
        try {
          return await this.placeBackupOf(examined, false);
        } catch (error) {
          await discardBackup(examined.staging);
          throw error;
        }
      });
      if (kept === true) placed.push(examined);
    }
    if (placed.some((examined) => examined.staging !== undefined)) await syncDirectory(this.scenario.backup.dir);
    const journaled: Examined[] = [];
    for (const examined of placed) {
      const written = await this.safely(examined.sending.item, async () => {
        await this.journalSending(examined, 'later');
        return true;
      });
      if (written === true) journaled.push(examined);
    }
    try {
      await this.ledger.flush();
    } catch (error) {
      if (!isSystemError(error)) throw error;
      // Their lines may not be on disk: none of them leaves (the next run asks the partner first).
      for (const examined of journaled) await this.safely(examined.sending.item, () => Promise.reject(error));
      return [];
    }
    return journaled;
  }

  /** Claims a candidate (see claimReadable); its done marker goes once the file is ordo's. */
  private async claimCandidate(candidate: Candidate): Promise<QueueItem | undefined> {
    const item = await this.claimReadable(candidate);
    if (item !== undefined && this.scenario.doneMarker !== undefined) {
      await unlink(candidate.path + this.scenario.doneMarker).catch(() => undefined);
    }
    return item;
  }

  /**
   * Claims a candidate this account can read. One it cannot read (permissions, a lock held by another
   * program) is not ours to move: it stays in the source folder. A claim the filesystem refuses (full
   * queue volume…) leaves the file where it was. Both are deferred for this file only.
   */
  private async claimReadable(candidate: Candidate): Promise<QueueItem | undefined> {
    const { ctx, scenario } = this;
    const intake = intakeOf(ctx.config.root, scenario, candidate.path);
    if (intake.kind === 'copy') return this.copyGiven(candidate);
    const size = sizeOf(candidate.path);
    let error = cannotRead(candidate.path);
    if (error === undefined) {
      try {
        const item = await claim(ctx.config.root, scenario.name, candidate.path, ctx.now(), this.spares);
        if (item === undefined) ctx.log.info('engine.claimedElsewhere', { scenario: scenario.name, file: candidate.name });
        // A file given back from this scenario's failed/ (the command diagnose and the duplicate warning print): its reason goes too.
        else if (intake.kind === 'move-back') await forgetSetAside(intake.itemDir, candidate.name);
        return item;
      } catch (claimError) {
        error = located(claimError, claimFolder(claimError, spoolPaths(ctx.config).queue(scenario.name), dirname(candidate.path)));
      }
    }
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      ctx.log.info('engine.claimedElsewhere', { scenario: scenario.name, file: candidate.name });
      return undefined;
    }
    if (!isSystemError(error)) throw error;
    const failure = await describeLocalFailure(error, candidate.path, size);
    await deferLocally(ctx, this.ledger, { name: candidate.name, path: candidate.path, size, failure, inSource: true, journaled: true });
    return undefined;
  }

  /**
   * A file given from outside the source folder: copied into the queue, the original left where it is
   * (once: content already queued under that name is not queued twice). One that cannot be read or
   * copied is not sent, and nothing of it is left in the queue.
   */
  private async copyGiven(candidate: Candidate): Promise<QueueItem | undefined> {
    const { ctx, scenario } = this;
    const params = { scenario: scenario.name, file: candidate.name, path: candidate.path };
    try {
      const queued = await queuedCopyOf(ctx.config.root, scenario.name, candidate.path);
      if (queued !== undefined) {
        ctx.log.info('engine.alreadyQueued', { ...params, queued: queued.path });
        return undefined;
      }
      const item = await copyIntoQueue(ctx.config.root, scenario.name, candidate.path, ctx.now(), this.spares);
      this.originals.set(item.path, candidate.path);
      ctx.log.info('engine.copied', params);
      return item;
    } catch (error) {
      if (!isSystemError(error)) throw error;
      const size = sizeOf(candidate.path);
      located(error, claimFolder(error, spoolPaths(ctx.config).queue(scenario.name), dirname(candidate.path)));
      const failure = await describeLocalFailure(error, candidate.path, size);
      const reason = t('engine.notCopied', { reason: failure.reason, path: candidate.path });
      await this.ledger.settle(candidate.name, {
        status: 'failed',
        log: { level: 'error', key: 'engine.scenarioProblem', params: { reason: `${candidate.name}: ${reason} ${failure.fix}` } },
        outcome: { original: candidate.path, reason, ...(size === undefined ? {} : { size }) },
      });
      return undefined;
    }
  }

  /** Where the original of a copied item stays (outcome field `original`). */
  private originalOf(item: QueueItem): Partial<FileOutcome> {
    const original = this.originals.get(item.path);
    return original === undefined ? {} : { original };
  }

  /** process(), with a failure of this machine's filesystem deferring this item only (it stays queued). */
  private async processSafely(item: QueueItem, fromQueue: boolean): Promise<boolean> {
    return (await this.safely(item, () => this.process(item, fromQueue))) ?? false;
  }

  /** A step of an item's journey; a failure of this machine's filesystem defers this item only (undefined). */
  private async safely<T>(item: QueueItem, step: () => Promise<T>): Promise<T | undefined> {
    try {
      return await step();
    } catch (error) {
      if (!isSystemError(error)) throw error;
      const size = sizeOf(item.path);
      const failure = await describeLocalFailure(error, item.path, size);
      const journaled = this.isFresh(await this.lastState(item.path));
      await deferLocally(this.ctx, this.ledger, { name: item.name, path: item.path, size, failure, inSource: false, journaled });
      return undefined;
    }
  }

  /** Not handed to the protocol yet: a new item, or one a local failure held back before that. */
  private isFresh(last: JournalEntry | undefined): boolean {
    return last === undefined || (last.state === 'deferred' && last.code !== undefined);
  }

  /**
   * The name of the file after `order[position]`, told to the protocol so that it may prepare it (sftp
   * opens its temporary file with the rename). Not told when the scenario spaces its sends out: the
   * next file is a delay away, and nothing is gained by preparing it early.
   */
  private hintAfter(order: string[], position: number): string | undefined {
    return this.scenario.delays.sendMs > 0 ? undefined : order[position + 1];
  }

  /** The inter-file delay (not before the first file); false when interrupted. */
  private async between(): Promise<boolean> {
    if (this.ctx.signal.aborted) {
      this.outcomes.interrupted = true;
      return false;
    }
    if (!this.first && this.scenario.delays.sendMs > 0) {
      this.ctx.onEvent({ type: 'wait', scenario: this.scenario.name, ms: this.scenario.delays.sendMs, reason: 'delay' });
      if (!(await pause(this.scenario.delays.sendMs, this.ctx.signal))) {
        this.outcomes.interrupted = true;
        return false;
      }
    }
    this.first = false;
    return true;
  }

  /** Sends one queued item; returns true when the scenario should stop (connection lost). */
  private async process(item: QueueItem, fromQueue: boolean): Promise<boolean> {
    const last = await this.lastState(item.path);
    const size = statSync(item.path).size;
    if (this.startsEarly(last, size)) return this.sendEarly(item, size);
    const examined = await this.examine(item, fromQueue, last, size);
    if (examined === undefined || examined === 'later') return false;
    if (!(await this.journaledWithBackup(examined))) return false;
    return this.attempt(examined.sending, examined.resumed);
  }

  /**
   * A new item's backup placed (its folder flushed), then its `sending` line flushed. False when a backup
   * in the way set it aside; on a failure its staged backup is discarded.
   */
  private async journaledWithBackup(examined: Examined): Promise<boolean> {
    try {
      if (!(await this.placeBackupOf(examined, true))) return false;
      await this.journalSending(examined, 'now');
      return true;
    } catch (error) {
      await discardBackup(examined.staging);
      throw error;
    }
  }

  /**
   * Whether an item's transfer starts while it is hashed (sendEarly): a big file never handed to the
   * protocol (`last`: its journal's last word), to a protocol that publishes last.
   */
  private startsEarly(last: JournalEntry | undefined, size: number): boolean {
    return this.session.publishesLast === true && this.isFresh(last) && size >= EARLY_START_BYTES;
  }

  /**
   * A big new file (docs/engine.md, "Big files: the transfer starts with the hash"). Its transfer starts
   * at once, while its hash is computed and its backup made; the protocol writes it where the partner
   * does not take it, then waits (`beforePublish`) until everything a file does before its `sending` line
   * is done — the duplicate check, the backup placed, the line flushed — before it gives the file its
   * final name. A file found a duplicate is set aside, and the protocol removes what it wrote.
   */
  private async sendEarly(item: QueueItem, size: number): Promise<boolean> {
    const staging = this.stageBackupOf(item);
    const hashing = sha256Beside(item.path, size);
    hashing.catch(() => undefined);
    const early: EarlyStart = { hashing, staging };
    const sending: Sending = { item, file: { path: item.path, name: item.name, size, sha256: '' }, facts: { size, ...this.originalOf(item) }, early };
    try {
      return await this.attempt(sending, false);
    } finally {
      // Wherever the attempt ended, nothing is left of an unused staged backup or a hash under way.
      await hashing.catch(() => undefined);
      if (early.prepared === undefined) await discardBackup(staging);
    }
  }

  /**
   * A file that started early: everything before its `sending` line, done once — asked by the protocol
   * before it publishes, or by a failed attempt before its ending is journaled. False when the file ended
   * here (set aside); a failure of this machine rejects, its staged backup discarded.
   */
  private prepared(sending: Sending, early: EarlyStart): Promise<boolean> {
    early.prepared ??= (async () => {
      const sha256 = await early.hashing;
      sending.file.sha256 = sha256;
      sending.facts.sha256 = sha256;
      const duplicate = await this.setAsideIfDuplicate(sending, early.staging).catch(async (error: unknown) => {
        await discardBackup(early.staging);
        throw error;
      });
      return !duplicate && this.journaledWithBackup({ sending, resumed: false, staging: early.staging });
    })();
    return early.prepared;
  }

  /** A new item's backup, made and flushed under a temporary name while the file is hashed (see stageBackup). */
  private stageBackupOf(item: QueueItem): Promise<StagedBackup> {
    const { scenario } = this;
    const staging = stageBackup(scenario, item.path, item.name).catch((error: unknown) => {
      throw located(error, scenario.backup.dir);
    });
    staging.catch(() => undefined);
    return staging;
  }

  /**
   * Everything about an item before its backup is placed (`last`: its journal's last word, `size` as just seen): its hash, whether the
   * partner has it already, whether its content was sent before. Undefined when the item ended here.
   * `later` when its content or name is `inBatch` (a file prepared with it and not sent yet): it is
   * examined again once that one has ended, as it would be one file after the other.
   */
  private async examine(item: QueueItem, fromQueue: boolean, last: JournalEntry | undefined, size: number, inBatch?: BatchContents): Promise<Examined | 'later' | undefined> {
    const fresh = this.isFresh(last);
    // A new item's backup is copied and flushed while the file is hashed (two reads of the file at
    // once instead of one after the other); it gets its name only if the file is to be sent.
    const staging = fresh ? this.stageBackupOf(item) : undefined;
    try {
      const sha256 = await sha256File(item.path, size);
      if (inBatch !== undefined && (inBatch.contents.has(sha256) || inBatch.names.has(item.name))) {
        await discardBackup(staging);
        return 'later';
      }
      const sending: Sending = { item, file: { path: item.path, name: item.name, size, sha256 }, facts: { size, sha256, ...this.originalOf(item) } };
      const ready = await this.examineHashed(sending, fromQueue, last, fresh, staging);
      return ready ? { sending, resumed: fromQueue && last !== undefined && INTERRUPTED.has(last.state), staging } : undefined;
    } catch (error) {
      await discardBackup(staging);
      throw error;
    }
  }

  /** examine(), once the file is hashed: true when it is to be sent. */
  private async examineHashed(sending: Sending, fromQueue: boolean, last: JournalEntry | undefined, fresh: boolean, staging: Promise<StagedBackup> | undefined): Promise<boolean> {
    const { item } = sending;
    if (last !== undefined && acceptedByPartner(last)) {
      // Acknowledged (or accepted, its receipt to come) before a crash that left the queued copy behind.
      await this.forget(item);
      this.ctx.log.info('engine.leftoverRemoved', { scenario: this.scenario.name, file: item.name });
      return false;
    }
    const resumed = fromQueue && last !== undefined && INTERRUPTED.has(last.state);
    // A send of several requests taken up again continues from its journaled steps (the same document at
    // the partner), whether it was cut by a crash, an ambiguous failure or the retries running out.
    if (!fresh) {
      const steps = await this.history.steps(item.path);
      if (steps !== undefined) sending.file.resume = steps;
    }
    if (resumed) return !(await this.verifiedAfterInterruption(sending, last));
    return !(fresh && (await this.setAsideIfDuplicate(sending, staging)));
  }

  /** The `sending` line that hands the item to the protocol (a resumed item has its `resumed` line already). */
  private async journalSending({ sending, staging, resumed }: Examined, flush: 'now' | 'later'): Promise<void> {
    if (staging !== undefined) await this.ledger.record(sending.item.name, this.line(sending, 'sending', sending.backup === undefined ? {} : { backup: sending.backup }), flush);
    else if (!resumed) await this.ledger.record(sending.item.name, this.line(sending, 'sending'), flush);
  }

  /**
   * An interrupted send found in the queue: the partner is asked first. True when it has the file
   * (settled as sent); else the journal says `resumed` and the file goes again.
   */
  private async verifiedAfterInterruption(sending: Sending, last: JournalEntry): Promise<boolean> {
    const { ctx, scenario } = this;
    const { item } = sending;
    const verdict = await this.verify(sending.file);
    // A send of several requests whose receipt comes later is finished by the protocol from its steps
    // (it returns its pending receipt without sending again): only then is it followed.
    const finishedBySteps = verdict === 'present' && sending.file.resume !== undefined && this.session.follow !== undefined;
    if (verdict === 'present' && !finishedBySteps) {
      await this.ledger.settle(item.name, {
        status: 'sent',
        line: this.line(sending, 'sent', { remoteId: last.remoteId ?? item.name, reason: 'verified after interruption' }),
        log: { level: 'info', key: 'engine.resumedVerified' },
        outcome: { ...sending.facts, resumed: true },
      });
      await this.forget(item);
      return true;
    }
    if (verdict === 'unknown') ctx.log.warn('engine.resumeUnverifiable', { scenario: scenario.name, file: item.name, protocol: scenario.protocol });
    else if (sending.file.resume !== undefined) ctx.log.info('engine.resumingSteps', { scenario: scenario.name, file: item.name, steps: describeFacts(sending.file.resume) });
    else ctx.log.info('engine.resuming', { scenario: scenario.name, file: item.name });
    await this.ledger.record(item.name, this.line(sending, 'resumed'));
    return false;
  }

  /** Content already acknowledged in this scenario is set aside (true), unless --force sends it again. */
  private async setAsideIfDuplicate(sending: Sending, staging: Promise<StagedBackup> | undefined): Promise<boolean> {
    const { ctx, scenario } = this;
    const { item } = sending;
    const previous = await this.acknowledgement(sending.file.sha256);
    if (previous === undefined) return false;
    if (ctx.force) {
      ctx.log.warn('engine.forced', { scenario: scenario.name, file: item.name, date: localTime(previous.time) });
      await this.ledger.record(item.name, this.line(sending, 'forced'));
      return false;
    }
    await discardBackup(staging);
    const command = resendCommand(ctx.config.file, scenario.name, failedItemPath(ctx.config.root, scenario.name, item));
    const params = () => ({ file: item.name, date: localTime(previous.time), remoteId: previous.remoteId ?? '', command });
    await this.setAside(sending, {
      status: 'duplicate',
      // diagnose prints the command as the fix: the record keeps the fact only.
      describe: () => ({ reason: t('engine.duplicate', params()), recorded: t('engine.duplicateFact', params()) }),
      log: (where) => ({ level: 'warn', key: 'engine.duplicateLog', params: { date: localTime(previous.time), path: where } }),
    });
    return true;
  }

  /**
   * A new item's backup (or one claimed just before a crash) is placed before anything is sent, and
   * named on its `sending` line; with `syncFolder`, its name is on disk when this resolves (a batch syncs
   * the folder once for all its files). False when a backup of that name is in the way: the item is set aside.
   */
  private async placeBackupOf({ sending, staging }: Examined, syncFolder: boolean): Promise<boolean> {
    if (staging === undefined) return true;
    const { ctx, scenario } = this;
    const { item } = sending;
    const copy = await placeBackup(await staging, ctx.now(), { syncFolder });
    if (copy.status === 'exists') {
      const describe = () => ({ reason: t('engine.backupExists', { path: copy.path }) });
      await this.setAside(sending, { status: 'failed', describe, log: () => fileFailed(describe().reason) });
      return false;
    }
    if (copy.status === 'kept-old') ctx.log.info('engine.backupKeptOld', { scenario: scenario.name, file: item.name, path: copy.path });
    sending.backup = copy.path;
    return true;
  }

  /**
   * `onStep` for the protocol: each step of a send of several requests is journaled, flushed, before the
   * protocol takes the next one, and kept for the next attempt of this run (`resume`). A step that cannot
   * be journaled (a full journal disk) stops the send: the protocol rejects with that error, rethrown
   * by `attempt` as this machine's failure.
   */
  private stepRecorder(sending: Sending): (step: SendSteps) => Promise<void> {
    return async (step) => {
      try {
        await this.ledger.record(sending.item.name, this.line(sending, 'step', { step: { ...step } }));
      } catch (error) {
        sending.stepFailure = error instanceof Error ? error : new Error(String(error));
        throw error;
      }
      sending.file.resume = { ...sending.file.resume, ...step };
    };
  }

  /** Hands the item to the protocol, retrying within the scenario's bounds; true when the scenario should stop. */
  private async attempt(sending: Sending, resumed: boolean): Promise<boolean> {
    const { ctx, scenario } = this;
    const { item, file } = sending;
    const startedAt = ctx.now();
    const started: Sending = { ...sending, facts: { ...sending.facts, resumed, startedAt: startedAt.toISOString() } };
    ctx.log.info('engine.sending', { scenario: scenario.name, file: item.name, size: file.size, protocol: scenario.protocol });
    ctx.onEvent({ type: 'file-start', scenario: scenario.name, direction: 'send', name: item.name, size: file.size });
    for (let attempt = 1; ; attempt++) {
      try {
        await this.deliver(started, attempt);
        return false;
      } catch (error) {
        if (started.stepFailure !== undefined) throw started.stepFailure;
        if (error instanceof EndedBeforePublishing) return false;
        // A file that started early gets its `sending` line (and backup) before its failure is journaled.
        if (started.early !== undefined && !(await this.prepared(started, started.early))) return false;
        const ending = await this.afterFailure(started, error, attempt, startedAt);
        if (ending !== 'retry') return ending;
      }
    }
  }

  /** One try; the item is settled as sent (or pending) when the protocol accepted it. */
  private async deliver(sending: Sending, attempt: number): Promise<void> {
    const { ctx, scenario } = this;
    const { item, file, early } = sending;
    if (this.session.send === undefined) throw new TypeError(`${scenario.protocol}: a session without send()`);
    const receipt = await this.session.send({ ...file }, {
      ...(this.nextName === undefined ? {} : { nextName: this.nextName }),
      onProgress: (bytes) => ctx.onEvent({ type: 'progress', scenario: scenario.name, name: item.name, bytes, total: file.size }),
      onStep: this.stepRecorder(sending),
      ...(early === undefined ? {} : { beforePublish: () => this.publishable(sending, early) }),
    });
    const state = receipt.state === 'pending' ? 'pending' : 'sent';
    const remoteId = receipt.remoteId;
    // A pending send is followed by later runs with these facts (journal `pending`, field `follow`).
    const follow = state === 'pending' ? { follow: { ...receipt.follow } } : {};
    // Where the partner can be asked whether it has the file, the `sent` line is flushed with the next
    // file's `sending` line (one flush per file in a batch, not two): a power cut that loses it leaves the
    // item queued with its `sending` line, and the next run asks the partner before sending anything again
    // (docs/engine.md). The queued copy is removed only once the line is on disk.
    const flushLater = this.session.verify !== undefined;
    await this.ledger.settle(item.name, {
      status: state,
      line: this.line(sending, state, { remoteId, attempts: attempt, ...follow }),
      flushLater,
      log: { level: 'info', key: state === 'sent' ? 'engine.sent' : 'engine.pendingReceipt', params: { remoteId, attempts: attempt } },
      outcome: { ...sending.facts, remoteId, attempts: attempt, endedAt: ctx.now().toISOString() },
    });
    await this.ledger.afterFlush(() => this.forget(item));
  }

  /** `beforePublish`: the recorded sha256 once the file may appear; rejects when it must not. */
  private async publishable(sending: Sending, early: EarlyStart): Promise<string> {
    if (!(await this.prepared(sending, early))) throw new EndedBeforePublishing();
    return sending.file.sha256;
  }

  /** After a failed try: the item's ending (true when the scenario should stop), or `retry`. */
  private async afterFailure(sending: Sending, error: unknown, attempt: number, startedAt: Date): Promise<boolean | 'retry'> {
    const reason = describeFailure(error);
    const transfer = isTransferError(error) ? error : undefined;
    if (transfer?.kind === 'permanent' && transfer.connection) return this.blocked(sending, error, reason, attempt);
    if (transfer?.kind === 'permanent' || transfer?.kind === 'unsupported') {
      const describe = (): SetAsideText => {
        const fix = failureFix(error);
        return fix === undefined ? { reason: describeFailure(error) } : { reason: describeFailure(error), fix };
      };
      await this.setAside(sending, { status: 'failed', describe, attempts: attempt, log: () => fileFailed(reason) });
      return transfer.connection;
    }
    if (transfer?.uncertain) {
      const verdict = await this.verify(sending.file);
      if (verdict === 'present') {
        await this.verifiedAfterAmbiguity(sending, attempt);
        return false;
      }
      if (verdict === 'unknown') {
        await this.keepQueued(sending, 'uncertain', reason, attempt, { level: 'warn', key: 'engine.uncertain', params: { reason } });
        return true;
      }
      // absent: the partner does not have it, so a retry is safe.
    }
    if (await this.waitToRetry(sending, transfer?.retryAfterMs, reason, attempt, startedAt)) return 'retry';
    await this.keepQueued(sending, 'deferred', reason, attempt, { level: 'warn', key: 'engine.deferred', params: { reason, attempts: attempt } });
    if (transfer?.connection) this.outcomes.unreachable = true;
    const partnerWaits = this.partnerAsksToWait(sending, transfer?.retryAfterMs);
    if (this.ctx.signal.aborted) this.outcomes.interrupted = true;
    return Boolean(transfer?.connection) || this.ctx.signal.aborted || partnerWaits;
  }

  /** The partner asked not to be called again so soon: no other file of this scenario in this run. */
  private partnerAsksToWait(sending: Sending, retryAfterMs = 0): boolean {
    const { ctx, scenario } = this;
    const partnerWaits = retryAfterMs > 0 && !ctx.signal.aborted;
    if (partnerWaits) ctx.log.warn('engine.retryAfterLater', { scenario: scenario.name, file: sending.item.name, seconds: Math.ceil(retryAfterMs / 1000) });
    return partnerWaits;
  }

  /**
   * The account or the destination is wrong, not the file: it stays queued, the scenario stops for this
   * run. One problem names the file (`file`): people read it once, with its fix, instead of its file line.
   */
  private async blocked(sending: Sending, error: unknown, reason: string, attempt: number): Promise<true> {
    const { scenario } = this;
    const file = sending.item.name;
    const message = t('engine.blocked', { file, reason });
    await this.keepQueued(sending, 'deferred', reason, attempt, { level: 'error', key: 'engine.scenarioProblem', params: { reason: message } });
    const fix = failureFix(error);
    this.outcomes.problem({ scenario: scenario.name, message, file, ...(fix === undefined ? {} : { fix }), connection: true });
    return true;
  }

  /** The failure was ambiguous, but the partner has the file: sent. */
  private async verifiedAfterAmbiguity(sending: Sending, attempt: number): Promise<void> {
    const { item, file } = sending;
    await this.ledger.settle(item.name, {
      status: 'sent',
      line: this.line(sending, 'sent', { remoteId: file.name, reason: 'verified after an ambiguous failure', attempts: attempt }),
      log: { level: 'info', key: 'engine.uncertainVerified' },
      outcome: { ...sending.facts, remoteId: file.name, attempts: attempt },
    });
    await this.forget(item);
  }

  /** Waits before another try when the scenario's retries allow one; false when they do not, or when interrupted. */
  private async waitToRetry(sending: Sending, retryAfterMs: number | undefined, reason: string, attempt: number, startedAt: Date): Promise<boolean> {
    const { ctx, scenario } = this;
    const { attempts, backoffMs, maxDelayMs, maxTimeMs } = scenario.retries;
    const delay = backoffDelay(attempt, backoffMs, maxDelayMs, retryAfterMs);
    const elapsed = ctx.now().getTime() - startedAt.getTime();
    if (delay === undefined || attempt >= attempts || elapsed + delay > maxTimeMs || ctx.signal.aborted) return false;
    ctx.log.warn('engine.retrying', { scenario: scenario.name, file: sending.item.name, reason, attempt, attempts, seconds: Math.round(delay / 100) / 10 });
    ctx.onEvent({ type: 'wait', scenario: scenario.name, ms: delay, reason: 'backoff' });
    return pause(delay, ctx.signal);
  }

  /** The item stays queued for a later run (deferred, or uncertain: checked with the partner first). */
  private async keepQueued(sending: Sending, status: 'deferred' | 'uncertain', reason: string, attempt: number, log: LogLine): Promise<void> {
    await this.ledger.settle(sending.item.name, {
      status,
      line: this.line(sending, status, { reason, attempts: attempt }),
      log,
      outcome: { ...sending.facts, localPath: sending.item.path, reason, attempts: attempt },
    });
  }

  /**
   * The item goes to failed/<scenario>/ and is settled there. Its record keeps the reason (and the fix)
   * in every language, so that `diagnose` and `report` show it in their reader's: `describe` renders
   * them (synchronously) in the current language.
   */
  private async setAside(sending: Sending, ending: { status: 'failed' | 'duplicate'; describe: () => SetAsideText; attempts?: number; log: (where: string) => LogLine }): Promise<void> {
    const { status } = ending;
    const { reason, fix } = ending.describe();
    const reasons = inEveryLang(() => {
      const text = ending.describe();
      return text.recorded ?? text.reason;
    });
    const fixes = fix === undefined ? undefined : inEveryLang(() => ending.describe().fix ?? '');
    const record = { status, reasons, ...(fixes === undefined ? {} : { fixes }), why: fix === undefined ? reason : `${reason}\n${fix}`, time: this.ctx.now() };
    // Best effort: a backup left shared (its volume full) is no reason to keep a refused file queued.
    const backup = sending.backup ?? (await this.history.backup(sending.item.path).catch(() => undefined));
    await unshareBackup(sending.item, backup).catch(() => undefined);
    const where = await moveToFailed(this.ctx.config.root, this.scenario.name, sending.item, record);
    const attempts = ending.attempts === undefined ? {} : { attempts: ending.attempts };
    await this.ledger.settle(sending.item.name, {
      status,
      line: this.line(sending, status, { path: where, reason, ...attempts }),
      log: ending.log(where),
      outcome: { ...sending.facts, localPath: where, reason, ...attempts },
    });
  }
}

/** Why a file is set aside, in the current language; `recorded` replaces `reason` in its record. */
interface SetAsideText {
  reason: string;
  recorded?: string;
  fix?: string;
}

function fileFailed(reason: string): LogLine {
  return { level: 'error', key: 'engine.fileFailed', params: { reason } };
}
