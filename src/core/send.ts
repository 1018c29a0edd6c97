// Sending: one file's journey (docs/engine.md): detect → claim → backup → journal → send → settle,
// with recovery of interrupted work at the start of every run.
import { open, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { ScenarioConfig } from '../config/model.js';
import { t } from '../i18n/index.js';
import { isTransferError, type ProtocolSession, type SendItem } from '../protocols/contract.js';
import type { EngineContext, Selection } from './context.js';
import { LockHeldError, UsageError } from '../shared/errors.js';
import { sha256File } from '../shared/hash.js';
import { runHook } from './hooks.js';
import { Journal, type JournalEntry } from './journal.js';
import { JournalIndex } from './journal-index.js';
import { acquireLock } from '../shared/lock.js';
import { Outcomes } from './outcome.js';
import { spoolPaths } from '../shared/paths.js';
import { openSession } from './protocol-session.js';
import { describeLocalFailure, isSystemError, located } from './local-failure.js';
import {
  claim, discardBackup, dropClaim, finishClaim, hasQueuedItems, matchOldClaim, moveToFailed, newItemId, orphanClaims, placeBackup, queuedItems,
  releaseClaim, removeItem, removeLeftovers, stageBackup, type OrphanClaim, type QueueItem, type StagedBackup,
} from './queue.js';
import type { CycleResult, FileOutcome } from './results.js';
import { readyFiles } from './scan.js';
import { findScenario, selectScenarios } from './select.js';
import { backoffDelay, pause } from '../shared/wait.js';
import { retrieveScenarios } from './retrieve.js';
import { describeFailure, failureFix, sessionProblem } from './failure.js';

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
  const explicit = request.files !== undefined && request.files.length > 0;
  let scenarios: ScenarioConfig[];
  if (explicit) {
    if (request.selection.scenarios.length !== 1) throw new UsageError('engine.sendNeedsScenario');
    const scenario = findScenario(ctx.config, request.selection.scenarios[0]!);
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
      await sendScenario(ctx, scenario, history, outcomes, explicit ? request.files! : undefined);
    } catch (error) {
      if (!isSystemError(error)) throw error;
      // A full or failing disk stops this scenario only: the others, and retrieval, still go.
      const failure = await describeLocalFailure(error, spoolPaths(ctx.config).queue(scenario.name), undefined);
      ctx.log.error('engine.local.scenario', { scenario: scenario.name, reason: failure.reason });
      outcomes.problem({ scenario: scenario.name, message: t('engine.local.scenario', { scenario: scenario.name, reason: failure.reason }), fix: failure.fix });
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

  /** The latest acknowledgement of this content in the scenario, when in the duplicate window (13 calendar months). */
  async acknowledgement(scenario: string, sha256: string): Promise<JournalEntry | undefined> {
    await this.ready();
    const entry = await this.index.acknowledged(scenario, sha256);
    if (entry === undefined) return undefined;
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
  if (lock?.replaced) ctx.log.warn('engine.staleLockReplaced', { lock: lock.path, pid: lock.replaced.pid, host: lock.replaced.host, since: lock.replaced.since });
  history.locked();
  try {
    if (!ctx.dryRun) {
      await removeAbandonedTemporaries(ctx, scenario);
      await recoverOrphanClaims(ctx, scenario, history, outcomes);
    }
    const queued = await queuedItems(ctx.config.root, scenario.name);
    const candidates = explicitFiles !== undefined ? await givenFiles(ctx, scenario, explicitFiles, outcomes) : await detected(ctx, scenario, outcomes);
    if (queued.length === 0 && candidates.length === 0) {
      ctx.log.debug('engine.nothingToSend', { scenario: scenario.name });
      return;
    }
    if (ctx.dryRun) {
      for (const item of queued) outcomes.add(base(scenario, item.name, 'would-send', { localPath: item.path, resumed: true }));
      for (const file of candidates) outcomes.add(base(scenario, file.name, 'would-send', { localPath: file.path }));
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
        const pipeline = new SendPipeline(ctx, scenario, session, history, outcomes);
        await pipeline.run(queued, candidates);
      } finally {
        await session.close().catch(() => undefined);
      }
    });
  } finally {
    await lock?.release();
  }
}

async function withHooks(ctx: EngineContext, scenario: ScenarioConfig, outcomes: Outcomes, work: () => Promise<void>): Promise<void> {
  const before = runHook('before', scenario, ctx.log, ctx.config.dir);
  if (before !== undefined && !(await before).ok) {
    outcomes.problem({ scenario: scenario.name, message: t('engine.hookBlocked', { scenario: scenario.name }), connection: true });
    await runHook('after', scenario, ctx.log, ctx.config.dir);
    return;
  }
  try {
    await work();
  } finally {
    const after = runHook('after', scenario, ctx.log, ctx.config.dir);
    if (after !== undefined) await after;
  }
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
async function recoverOrphanClaims(ctx: EngineContext, scenario: ScenarioConfig, history: SendHistory, outcomes: Outcomes): Promise<void> {
  if (scenario.source === undefined) return;
  for (const orphan of await orphanClaims(scenario.source)) {
    try {
      const verified = await recoverClaim(ctx, scenario, orphan, history);
      ctx.log.warn(verified ? 'engine.orphanClaimVerified' : 'engine.orphanClaimRecovered', { scenario: scenario.name, file: orphan.name });
    } catch (error) {
      if (!isSystemError(error)) throw error;
      const original = join(dirname(orphan.path), orphan.name);
      await releaseClaim(orphan.path, original);
      const size = await stat(original).then((s) => s.size, () => undefined);
      const failure = await describeLocalFailure(located(error, spoolPaths(ctx.config).queue(scenario.name)) as typeof error, original, size);
      const journal = new Journal(ctx.config.root, ctx.runId);
      try {
        await deferLocally(ctx, scenario, journal, outcomes, { name: orphan.name, path: original, size, failure, inSource: true });
      } finally {
        await journal.close();
      }
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
}

/** Local deferrals already journaled by this run (watch cycles would otherwise repeat them every interval). */
const deferredThisRun = new Set<string>();

/**
 * A file held back by this machine's filesystem: reported every time, logged with the fix and journaled
 * `deferred` once per run (best effort: the journal may be on the full disk).
 */
async function deferLocally(ctx: EngineContext, scenario: ScenarioConfig, journal: Journal | undefined, outcomes: Outcomes, d: LocalDeferral): Promise<void> {
  const { failure } = d;
  outcomes.add(base(scenario, d.name, 'deferred', { localPath: d.path, reason: failure.reason, ...(d.inSource ? { inSource: true } : {}), ...(d.size === undefined ? {} : { size: d.size }) }));
  ctx.onEvent({ type: 'file-end', scenario: scenario.name, direction: 'send', name: d.name, status: 'deferred' });
  const params = { scenario: scenario.name, file: d.name, reason: failure.reason, path: d.path, fix: failure.fix };
  const key = `${ctx.runId}\u0000${d.path}\u0000${failure.code}`;
  if (deferredThisRun.has(key)) {
    ctx.log.debug(d.inSource ? 'engine.local.inSource' : 'engine.local.inQueue', params);
    return;
  }
  deferredThisRun.add(key);
  ctx.log.warn(d.inSource ? 'engine.local.inSource' : 'engine.local.inQueue', params);
  await journal
    ?.append({ scenario: scenario.name, direction: 'send', state: 'deferred', file: d.name, path: d.path, reason: failure.reason, code: failure.code, folder: failure.folder, ...(d.size === undefined ? {} : { size: d.size }) })
    .catch(() => undefined);
}

/** Which folder a failed claim is about: the queue's when it is full, else the source's. */
function claimFolder(error: unknown, queue: string, source: string): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOSPC' || code === 'EDQUOT' ? queue : source;
}

/** Whether this account can read the file, checked before claiming it: undefined when it can, else the error. */
async function cannotRead(path: string): Promise<unknown> {
  try {
    const handle = await open(path, 'r');
    await handle.close();
    return undefined;
  } catch (error) {
    return error;
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

async function givenFiles(ctx: EngineContext, scenario: ScenarioConfig, files: string[], outcomes: Outcomes): Promise<Candidate[]> {
  const out: Candidate[] = [];
  for (const file of files) {
    const path = resolve(file);
    try {
      const s = await stat(path);
      if (!s.isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
      out.push({ path, name: basename(path) });
    } catch (error) {
      const reason = t('engine.givenFileMissing', { path, code: (error as NodeJS.ErrnoException).code ?? '' });
      ctx.log.error('engine.givenFileMissing', { path, code: (error as NodeJS.ErrnoException).code ?? '' });
      outcomes.add(base(scenario, basename(path), 'failed', { localPath: path, reason }));
    }
  }
  return out;
}

function base(scenario: ScenarioConfig, name: string, status: FileOutcome['status'], extra: Partial<FileOutcome> = {}): FileOutcome {
  return { scenario: scenario.name, direction: 'send', name, status, ...extra };
}

class SendPipeline {
  private readonly journal: Journal;
  private first = true;
  /** The file expected after the one being sent, if any (see hintAfter). */
  private nextName: string | undefined;

  constructor(
    private readonly ctx: EngineContext,
    private readonly scenario: ScenarioConfig,
    private readonly session: ProtocolSession,
    private readonly history: SendHistory,
    private readonly outcomes: Outcomes,
  ) {
    this.journal = new Journal(ctx.config.root, ctx.runId);
  }

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
    await removeItem(item).catch(() => undefined);
  }

  /** Appends a line to the journal (the index sees it at once: onJournalAppend). */
  private async record(entry: Omit<JournalEntry, 'time' | 'run'>): Promise<void> {
    try {
      await this.journal.append(entry);
    } catch (error) {
      throw located(error, spoolPaths(this.ctx.config).journal);
    }
  }

  async run(queued: QueueItem[], candidates: Candidate[]): Promise<void> {
    try {
      await this.sendAll(queued, candidates);
    } finally {
      await this.journal.close();
    }
  }

  private async sendAll(queued: QueueItem[], candidates: Candidate[]): Promise<void> {
    const order = [...queued.map((item) => item.name), ...candidates.map((candidate) => candidate.name)];
    let position = 0;
    for (const item of queued) {
      if (!(await this.between())) return;
      this.nextName = this.hintAfter(order, position++);
      const stop = await this.processSafely(item, true);
      if (stop) return;
    }
    for (const candidate of candidates) {
      if (!(await this.between())) return;
      this.nextName = this.hintAfter(order, position++);
      const item = await this.claimReadable(candidate);
      if (item === undefined) continue;
      if (this.scenario.doneMarker !== undefined) {
        await unlink(candidate.path + this.scenario.doneMarker).catch(() => undefined);
      }
      const stop = await this.processSafely(item, false);
      if (stop) return;
    }
  }

  /**
   * Claims a candidate this account can read. One it cannot read (permissions, a lock held by another
   * program) is not ours to move: it stays in the source folder. A claim the filesystem refuses (full
   * queue volume…) leaves the file where it was. Both are deferred for this file only.
   */
  private async claimReadable(candidate: Candidate): Promise<QueueItem | undefined> {
    const { ctx, scenario } = this;
    const size = await stat(candidate.path).then((s) => s.size, () => undefined);
    let error = await cannotRead(candidate.path);
    if (error === undefined) {
      try {
        const item = await claim(ctx.config.root, scenario.name, candidate.path, ctx.now());
        if (item === undefined) ctx.log.info('engine.claimedElsewhere', { scenario: scenario.name, file: candidate.name });
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
    await deferLocally(ctx, scenario, this.journal, this.outcomes, { name: candidate.name, path: candidate.path, size, failure, inSource: true });
    return undefined;
  }

  /**
   * process(), with a failure of this machine's filesystem deferring this item only (it stays queued).
   * Journaled only while the item was never handed to the protocol: after that, the journal's `sending`
   * (or later) line must stand, so that the next run checks with the partner before sending again.
   */
  private async processSafely(item: QueueItem, fromQueue: boolean): Promise<boolean> {
    try {
      return await this.process(item, fromQueue);
    } catch (error) {
      if (!isSystemError(error)) throw error;
      const size = await stat(item.path).then((s) => s.size, () => undefined);
      const failure = await describeLocalFailure(error, item.path, size);
      const journal = this.isFresh(await this.lastState(item.path)) ? this.journal : undefined;
      await deferLocally(this.ctx, this.scenario, journal, this.outcomes, { name: item.name, path: item.path, size, failure, inSource: false });
      return false;
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
    const { scenario } = this;
    const last = await this.lastState(item.path);
    const fresh = this.isFresh(last);
    const size = (await stat(item.path)).size;
    // A new item's backup is copied and flushed while the file is hashed (two reads of the file at
    // once instead of one after the other); it gets its name only if the file is to be sent.
    const staging = fresh ? stageBackup(scenario, item.path, item.name).catch((error: unknown) => Promise.reject(located(error, scenario.backup.dir))) : undefined;
    staging?.catch(() => undefined);
    try {
      return await this.processHashed(item, fromQueue, last, fresh, size, staging);
    } catch (error) {
      await discardBackup(staging);
      throw error;
    }
  }

  private async processHashed(item: QueueItem, fromQueue: boolean, last: JournalEntry | undefined, fresh: boolean, size: number, staging: Promise<StagedBackup> | undefined): Promise<boolean> {
    const { ctx, scenario } = this;
    const sha256 = await sha256File(item.path, size);
    const sendItem: SendItem = { path: item.path, name: item.name, size, sha256 };
    const common = { size, sha256 };

    if (last?.state === 'sent' || last?.state === 'pending') {
      // Acknowledged before a crash that left the queued copy behind.
      await this.forget(item);
      ctx.log.info('engine.leftoverRemoved', { scenario: scenario.name, file: item.name });
      return false;
    }
    let resumed = false;
    if (fromQueue && last !== undefined && (last.state === 'sending' || last.state === 'uncertain' || last.state === 'resumed')) {
      resumed = true;
      const verdict = this.session.verify ? await this.session.verify(sendItem).catch(() => 'unknown' as const) : 'unknown';
      if (verdict === 'present') {
        await this.record({ scenario: scenario.name, direction: 'send', state: 'sent', file: item.name, size, sha256, path: item.path, remoteId: last.remoteId ?? item.name, reason: 'verified after interruption' });
        await this.forget(item);
        ctx.log.info('engine.resumedVerified', { scenario: scenario.name, file: item.name });
        this.outcomes.add(base(scenario, item.name, 'sent', { ...common, resumed: true }));
        return false;
      }
      if (verdict === 'unknown') ctx.log.warn('engine.resumeUnverifiable', { scenario: scenario.name, file: item.name, protocol: scenario.protocol });
      else ctx.log.info('engine.resuming', { scenario: scenario.name, file: item.name });
      await this.record({ scenario: scenario.name, direction: 'send', state: 'resumed', file: item.name, size, sha256, path: item.path });
    }

    const previous = await this.acknowledgement(sha256);
    if (previous !== undefined && !resumed && fresh) {
      if (!ctx.force) {
        const reason = t('engine.duplicate', { file: item.name, date: previous.time, remoteId: previous.remoteId ?? '' });
        await discardBackup(staging);
        const where = await moveToFailed(ctx.config.root, scenario.name, item, reason);
        await this.record({ scenario: scenario.name, direction: 'send', state: 'duplicate', file: item.name, size, sha256, path: where, reason });
        ctx.log.warn('engine.duplicateLog', { scenario: scenario.name, file: item.name, date: previous.time, path: where });
        this.outcomes.add(base(scenario, item.name, 'duplicate', { ...common, localPath: where, reason }));
        return false;
      }
      ctx.log.warn('engine.forced', { scenario: scenario.name, file: item.name, date: previous.time });
      await this.record({ scenario: scenario.name, direction: 'send', state: 'forced', file: item.name, size, sha256, path: item.path });
    }

    if (staging !== undefined) {
      // A new item (or one claimed just before a crash): its backup comes before anything is sent.
      const copy = await placeBackup(await staging, ctx.now());
      if (copy.status === 'exists') {
        const reason = t('engine.backupExists', { path: copy.path });
        const where = await moveToFailed(ctx.config.root, scenario.name, item, reason);
        await this.record({ scenario: scenario.name, direction: 'send', state: 'failed', file: item.name, size, sha256, path: where, reason });
        ctx.log.error('engine.fileFailed', { scenario: scenario.name, file: item.name, reason });
        this.outcomes.add(base(scenario, item.name, 'failed', { ...common, localPath: where, reason }));
        return false;
      }
      if (copy.status === 'kept-old') ctx.log.info('engine.backupKeptOld', { scenario: scenario.name, file: item.name, path: copy.path });
      await this.record({ scenario: scenario.name, direction: 'send', state: 'sending', file: item.name, size, sha256, path: item.path, backup: copy.path });
    } else if (!resumed) {
      await this.record({ scenario: scenario.name, direction: 'send', state: 'sending', file: item.name, size, sha256, path: item.path });
    }

    return this.attempt(item, sendItem, resumed);
  }

  private async attempt(item: QueueItem, sendItem: SendItem, resumed: boolean): Promise<boolean> {
    const { ctx, scenario } = this;
    const { attempts, backoffMs, maxDelayMs, maxTimeMs } = scenario.retries;
    const startedAt = ctx.now();
    const common = { size: sendItem.size, sha256: sendItem.sha256, resumed, startedAt: startedAt.toISOString() };
    ctx.log.info('engine.sending', { scenario: scenario.name, file: item.name, size: sendItem.size, protocol: scenario.protocol });
    ctx.onEvent({ type: 'file-start', scenario: scenario.name, direction: 'send', name: item.name, size: sendItem.size });
    for (let attempt = 1; ; attempt++) {
      try {
        const receipt = await this.session.send!(sendItem, {
          ...(this.nextName === undefined ? {} : { nextName: this.nextName }),
          onProgress: (bytes) => ctx.onEvent({ type: 'progress', scenario: scenario.name, name: item.name, bytes, total: sendItem.size }),
        });
        const state = receipt.state === 'pending' ? 'pending' : 'sent';
        await this.record({ scenario: scenario.name, direction: 'send', state, file: item.name, size: sendItem.size, sha256: sendItem.sha256, path: item.path, remoteId: receipt.remoteId, attempts: attempt });
        await this.forget(item);
        ctx.log.info(state === 'sent' ? 'engine.sent' : 'engine.pendingReceipt', { scenario: scenario.name, file: item.name, remoteId: receipt.remoteId, attempts: attempt });
        ctx.onEvent({ type: 'file-end', scenario: scenario.name, direction: 'send', name: item.name, status: state });
        this.outcomes.add(base(scenario, item.name, state, { ...common, remoteId: receipt.remoteId, attempts: attempt, endedAt: ctx.now().toISOString() }));
        return false;
      } catch (error) {
        const reason = describeFailure(error);
        const transfer = isTransferError(error) ? error : undefined;
        if (transfer?.kind === 'permanent' && transfer.connection) {
          // The account or the destination is wrong, not the file: it stays queued, the scenario stops.
          await this.record({ scenario: scenario.name, direction: 'send', state: 'deferred', file: item.name, size: sendItem.size, sha256: sendItem.sha256, path: item.path, reason, attempts: attempt });
          ctx.log.error('engine.blocked', { scenario: scenario.name, file: item.name, reason });
          ctx.onEvent({ type: 'file-end', scenario: scenario.name, direction: 'send', name: item.name, status: 'deferred' });
          this.outcomes.add(base(scenario, item.name, 'deferred', { ...common, localPath: item.path, reason, attempts: attempt }));
          const fix = failureFix(error);
          this.outcomes.problem({ scenario: scenario.name, message: t('engine.blocked', { scenario: scenario.name, file: item.name, reason }), ...(fix === undefined ? {} : { fix }), connection: true });
          return true;
        }
        if (transfer?.kind === 'permanent' || transfer?.kind === 'unsupported') {
          const fix = failureFix(error);
          const where = await moveToFailed(ctx.config.root, scenario.name, item, fix === undefined ? reason : `${reason}\n${fix}`);
          await this.record({ scenario: scenario.name, direction: 'send', state: 'failed', file: item.name, size: sendItem.size, sha256: sendItem.sha256, path: where, reason, attempts: attempt });
          ctx.log.error('engine.fileFailed', { scenario: scenario.name, file: item.name, reason });
          ctx.onEvent({ type: 'file-end', scenario: scenario.name, direction: 'send', name: item.name, status: 'failed' });
          this.outcomes.add(base(scenario, item.name, 'failed', { ...common, localPath: where, reason, attempts: attempt }));
          return Boolean(transfer.connection);
        }
        if (transfer?.uncertain) {
          const verdict = this.session.verify ? await this.session.verify(sendItem).catch(() => 'unknown' as const) : 'unknown';
          if (verdict === 'present') {
            await this.record({ scenario: scenario.name, direction: 'send', state: 'sent', file: item.name, size: sendItem.size, sha256: sendItem.sha256, path: item.path, remoteId: sendItem.name, reason: 'verified after an ambiguous failure', attempts: attempt });
            await this.forget(item);
            ctx.log.info('engine.uncertainVerified', { scenario: scenario.name, file: item.name });
            this.outcomes.add(base(scenario, item.name, 'sent', { ...common, remoteId: sendItem.name, attempts: attempt }));
            return false;
          }
          if (verdict === 'unknown') {
            await this.record({ scenario: scenario.name, direction: 'send', state: 'uncertain', file: item.name, size: sendItem.size, sha256: sendItem.sha256, path: item.path, reason, attempts: attempt });
            ctx.log.warn('engine.uncertain', { scenario: scenario.name, file: item.name, reason });
            this.outcomes.add(base(scenario, item.name, 'uncertain', { ...common, localPath: item.path, reason, attempts: attempt }));
            return true;
          }
          // absent: the partner does not have it, so a retry is safe.
        }
        const delay = backoffDelay(attempt, backoffMs, maxDelayMs, transfer?.retryAfterMs);
        const elapsed = ctx.now().getTime() - startedAt.getTime();
        if (attempt < attempts && elapsed + delay <= maxTimeMs && !ctx.signal.aborted) {
          ctx.log.warn('engine.retrying', { scenario: scenario.name, file: item.name, reason, attempt, attempts, seconds: Math.round(delay / 100) / 10 });
          ctx.onEvent({ type: 'wait', scenario: scenario.name, ms: delay, reason: 'backoff' });
          if (await pause(delay, ctx.signal)) continue;
        }
        await this.record({ scenario: scenario.name, direction: 'send', state: 'deferred', file: item.name, size: sendItem.size, sha256: sendItem.sha256, path: item.path, reason, attempts: attempt });
        ctx.log.warn('engine.deferred', { scenario: scenario.name, file: item.name, reason, attempts: attempt });
        ctx.onEvent({ type: 'file-end', scenario: scenario.name, direction: 'send', name: item.name, status: 'deferred' });
        this.outcomes.add(base(scenario, item.name, 'deferred', { ...common, localPath: item.path, reason, attempts: attempt }));
        if (ctx.signal.aborted) this.outcomes.interrupted = true;
        return Boolean(transfer?.connection) || ctx.signal.aborted;
      }
    }
  }
}

