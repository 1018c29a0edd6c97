// Sending: one file's journey (ARCHITECTURE.md): detect → claim → backup → journal → send → settle,
// with recovery of interrupted work at the start of every run.
import { mkdir, rename, stat, unlink } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { ScenarioConfig } from '../config/model.js';
import { hasMessage, t } from '../i18n/index.js';
import { isTransferError, type ProtocolSession, type SendItem } from '../protocols/contract.js';
import type { EngineContext, Selection } from './context.js';
import { LockHeldError, UsageError } from './errors.js';
import { sha256File } from './hash.js';
import { runHook } from './hooks.js';
import { Journal, lastSendStates, readJournal, type JournalEntry } from './journal.js';
import { acquireLock } from './lock.js';
import { Outcomes } from './outcome.js';
import { spoolPaths } from './paths.js';
import { openSession } from './protocol-session.js';
import { claim, copyFlushed, discardBackup, moveToFailed, orphanClaims, placeBackup, queuedItems, removeItem, stageBackup, type QueueItem } from './queue.js';
import type { CycleResult, FileOutcome, ScenarioProblem } from './results.js';
import { readyFiles } from './scan.js';
import { findScenario, selectScenarios } from './select.js';
import { backoffDelay, pause } from './wait.js';
import { retrieveScenarios } from './retrieve.js';

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
    scenarios = selectScenarios(ctx.config, request.selection).filter((s) => s.source !== undefined);
  }
  const journal = await readJournal(ctx.config.root, { months: DUPLICATE_WINDOW_MONTHS });
  const done: ScenarioConfig[] = [];
  for (const scenario of scenarios) {
    if (ctx.signal.aborted) {
      outcomes.interrupted = true;
      break;
    }
    await sendScenario(ctx, scenario, journal, outcomes, explicit ? request.files! : undefined);
    if (outcomes.transferredIn(scenario.name) > 0) done.push(scenario);
  }
  if (ctx.signal.aborted) outcomes.interrupted = true;
  return done;
}

interface Candidate {
  path: string;
  name: string;
}

async function sendScenario(
  ctx: EngineContext,
  scenario: ScenarioConfig,
  journal: JournalEntry[],
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
  try {
    await recoverOrphanClaims(ctx, scenario);
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
        const pipeline = new SendPipeline(ctx, scenario, session, journal, outcomes);
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

/** A protocol session could not be opened: logged, and a problem with the protocol's fix when it has one. */
export function sessionProblem(ctx: EngineContext, scenario: ScenarioConfig, error: unknown): ScenarioProblem {
  const reason = describeFailure(error);
  ctx.log.error('engine.sessionFailed', { scenario: scenario.name, protocol: scenario.protocol, reason });
  const fix = failureFix(error);
  return {
    scenario: scenario.name,
    message: t('engine.sessionFailed', { scenario: scenario.name, protocol: scenario.protocol, reason }),
    ...(fix === undefined ? {} : { fix }),
    connection: !isTransferError(error) || error.connection || error.kind === 'transient',
  };
}

/** The protocol's advice for an error (`<key>.fix` in the catalog), when it has some. */
export function failureFix(error: unknown): string | undefined {
  if (!isTransferError(error) || !hasMessage(`${error.key}.fix`)) return undefined;
  return t(`${error.key}.fix`, error.params);
}

export function describeFailure(error: unknown): string {
  if (isTransferError(error)) {
    const text = t(error.key, error.params);
    return error.serverMessage ? `${text} (${error.serverMessage})` : text;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}

/** Claims left in the source folder by a run of this host that died mid-copy: finish moving them into the queue. */
async function recoverOrphanClaims(ctx: EngineContext, scenario: ScenarioConfig): Promise<void> {
  if (scenario.source === undefined || ctx.dryRun) return;
  for (const orphan of await orphanClaims(scenario.source)) {
    const dir = join(spoolPaths(ctx.config).queue(scenario.name), `recovered-${Date.now()}`);
    await mkdir(dir, { recursive: true });
    try {
      await rename(orphan.path, join(dir, orphan.name));
    } catch {
      await copyFlushed(orphan.path, join(dir, orphan.name));
    }
    ctx.log.warn('engine.orphanClaimRecovered', { scenario: scenario.name, file: orphan.name });
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
  private readonly lastStates: Map<string, JournalEntry>;
  private readonly acknowledged: Map<string, JournalEntry>;
  private first = true;
  /** The file expected after the one being sent, if any (see hintAfter). */
  private nextName: string | undefined;

  constructor(
    private readonly ctx: EngineContext,
    private readonly scenario: ScenarioConfig,
    private readonly session: ProtocolSession,
    entries: JournalEntry[],
    private readonly outcomes: Outcomes,
  ) {
    this.journal = new Journal(ctx.config.root, ctx.runId);
    this.lastStates = lastSendStates(entries);
    this.acknowledged = new Map();
    for (const entry of entries) {
      if (entry.scenario === scenario.name && entry.direction === 'send' && (entry.state === 'sent' || entry.state === 'pending') && entry.sha256) {
        this.acknowledged.set(entry.sha256, entry);
      }
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
      const stop = await this.process(item, true);
      if (stop) return;
    }
    for (const candidate of candidates) {
      if (!(await this.between())) return;
      this.nextName = this.hintAfter(order, position++);
      const item = await claim(this.ctx.config.root, this.scenario.name, candidate.path, this.ctx.now());
      if (item === undefined) {
        this.ctx.log.info('engine.claimedElsewhere', { scenario: this.scenario.name, file: candidate.name });
        continue;
      }
      if (this.scenario.doneMarker !== undefined) {
        await unlink(candidate.path + this.scenario.doneMarker).catch(() => undefined);
      }
      const stop = await this.process(item, false);
      if (stop) return;
    }
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
    const { ctx, scenario } = this;
    const last = this.lastStates.get(item.path);
    const size = (await stat(item.path)).size;
    // A new item's backup is copied and flushed while the file is hashed (two reads of the file at
    // once instead of one after the other); it gets its name only if the file is to be sent.
    const staging = last === undefined ? stageBackup(scenario, item.path, item.name) : undefined;
    staging?.catch(() => undefined);
    let sha256: string;
    try {
      sha256 = await sha256File(item.path, size);
    } catch (error) {
      await discardBackup(staging);
      throw error;
    }
    const sendItem: SendItem = { path: item.path, name: item.name, size, sha256 };
    const common = { size, sha256 };

    if (last?.state === 'sent' || last?.state === 'pending') {
      // Acknowledged before a crash that left the queued copy behind.
      await removeItem(item);
      ctx.log.info('engine.leftoverRemoved', { scenario: scenario.name, file: item.name });
      return false;
    }
    let resumed = false;
    if (fromQueue && last !== undefined && (last.state === 'sending' || last.state === 'uncertain' || last.state === 'resumed')) {
      resumed = true;
      const verdict = this.session.verify ? await this.session.verify(sendItem).catch(() => 'unknown' as const) : 'unknown';
      if (verdict === 'present') {
        await this.journal.append({ scenario: scenario.name, direction: 'send', state: 'sent', file: item.name, size, sha256, path: item.path, remoteId: last.remoteId ?? item.name, reason: 'verified after interruption' });
        await removeItem(item);
        ctx.log.info('engine.resumedVerified', { scenario: scenario.name, file: item.name });
        this.outcomes.add(base(scenario, item.name, 'sent', { ...common, resumed: true }));
        return false;
      }
      if (verdict === 'unknown') ctx.log.warn('engine.resumeUnverifiable', { scenario: scenario.name, file: item.name, protocol: scenario.protocol });
      else ctx.log.info('engine.resuming', { scenario: scenario.name, file: item.name });
      await this.journal.append({ scenario: scenario.name, direction: 'send', state: 'resumed', file: item.name, size, sha256, path: item.path });
    }

    const previous = this.acknowledged.get(sha256);
    if (previous !== undefined && !resumed && last === undefined) {
      if (!ctx.force) {
        const reason = t('engine.duplicate', { file: item.name, date: previous.time, remoteId: previous.remoteId ?? '' });
        await discardBackup(staging);
        const where = await moveToFailed(ctx.config.root, scenario.name, item, reason);
        await this.journal.append({ scenario: scenario.name, direction: 'send', state: 'duplicate', file: item.name, size, sha256, path: where, reason });
        ctx.log.warn('engine.duplicateLog', { scenario: scenario.name, file: item.name, date: previous.time, path: where });
        this.outcomes.add(base(scenario, item.name, 'duplicate', { ...common, localPath: where, reason }));
        return false;
      }
      ctx.log.warn('engine.forced', { scenario: scenario.name, file: item.name, date: previous.time });
      await this.journal.append({ scenario: scenario.name, direction: 'send', state: 'forced', file: item.name, size, sha256, path: item.path });
    }

    if (staging !== undefined) {
      // A new item (or one claimed just before a crash): its backup comes before anything is sent.
      const copy = await placeBackup(await staging, ctx.now());
      if (copy.status === 'exists') {
        const reason = t('engine.backupExists', { path: copy.path });
        const where = await moveToFailed(ctx.config.root, scenario.name, item, reason);
        await this.journal.append({ scenario: scenario.name, direction: 'send', state: 'failed', file: item.name, size, sha256, path: where, reason });
        ctx.log.error('engine.fileFailed', { scenario: scenario.name, file: item.name, reason });
        this.outcomes.add(base(scenario, item.name, 'failed', { ...common, localPath: where, reason }));
        return false;
      }
      if (copy.status === 'kept-old') ctx.log.info('engine.backupKeptOld', { scenario: scenario.name, file: item.name, path: copy.path });
      await this.journal.append({ scenario: scenario.name, direction: 'send', state: 'sending', file: item.name, size, sha256, path: item.path, backup: copy.path });
    } else if (!resumed) {
      await this.journal.append({ scenario: scenario.name, direction: 'send', state: 'sending', file: item.name, size, sha256, path: item.path });
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
        await this.journal.append({ scenario: scenario.name, direction: 'send', state, file: item.name, size: sendItem.size, sha256: sendItem.sha256, path: item.path, remoteId: receipt.remoteId, attempts: attempt });
        await removeItem(item);
        this.acknowledged.set(sendItem.sha256, { time: ctx.now().toISOString(), run: '', scenario: scenario.name, direction: 'send', state, file: item.name, remoteId: receipt.remoteId });
        ctx.log.info(state === 'sent' ? 'engine.sent' : 'engine.pendingReceipt', { scenario: scenario.name, file: item.name, remoteId: receipt.remoteId, attempts: attempt });
        ctx.onEvent({ type: 'file-end', scenario: scenario.name, direction: 'send', name: item.name, status: state });
        this.outcomes.add(base(scenario, item.name, state, { ...common, remoteId: receipt.remoteId, attempts: attempt, endedAt: ctx.now().toISOString() }));
        return false;
      } catch (error) {
        const reason = describeFailure(error);
        const transfer = isTransferError(error) ? error : undefined;
        if (transfer?.kind === 'permanent' && transfer.connection) {
          // The account or the destination is wrong, not the file: it stays queued, the scenario stops.
          await this.journal.append({ scenario: scenario.name, direction: 'send', state: 'deferred', file: item.name, size: sendItem.size, sha256: sendItem.sha256, path: item.path, reason, attempts: attempt });
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
          await this.journal.append({ scenario: scenario.name, direction: 'send', state: 'failed', file: item.name, size: sendItem.size, sha256: sendItem.sha256, path: where, reason, attempts: attempt });
          ctx.log.error('engine.fileFailed', { scenario: scenario.name, file: item.name, reason });
          ctx.onEvent({ type: 'file-end', scenario: scenario.name, direction: 'send', name: item.name, status: 'failed' });
          this.outcomes.add(base(scenario, item.name, 'failed', { ...common, localPath: where, reason, attempts: attempt }));
          return Boolean(transfer.connection);
        }
        if (transfer?.uncertain) {
          const verdict = this.session.verify ? await this.session.verify(sendItem).catch(() => 'unknown' as const) : 'unknown';
          if (verdict === 'present') {
            await this.journal.append({ scenario: scenario.name, direction: 'send', state: 'sent', file: item.name, size: sendItem.size, sha256: sendItem.sha256, path: item.path, remoteId: sendItem.name, reason: 'verified after an ambiguous failure', attempts: attempt });
            await removeItem(item);
            ctx.log.info('engine.uncertainVerified', { scenario: scenario.name, file: item.name });
            this.outcomes.add(base(scenario, item.name, 'sent', { ...common, remoteId: sendItem.name, attempts: attempt }));
            return false;
          }
          if (verdict === 'unknown') {
            await this.journal.append({ scenario: scenario.name, direction: 'send', state: 'uncertain', file: item.name, size: sendItem.size, sha256: sendItem.sha256, path: item.path, reason, attempts: attempt });
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
        await this.journal.append({ scenario: scenario.name, direction: 'send', state: 'deferred', file: item.name, size: sendItem.size, sha256: sendItem.sha256, path: item.path, reason, attempts: attempt });
        ctx.log.warn('engine.deferred', { scenario: scenario.name, file: item.name, reason, attempts: attempt });
        ctx.onEvent({ type: 'file-end', scenario: scenario.name, direction: 'send', name: item.name, status: 'deferred' });
        this.outcomes.add(base(scenario, item.name, 'deferred', { ...common, localPath: item.path, reason, attempts: attempt }));
        if (ctx.signal.aborted) this.outcomes.interrupted = true;
        return Boolean(transfer?.connection) || ctx.signal.aborted;
      }
    }
  }
}

