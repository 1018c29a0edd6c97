// Retrieval: list → skip what the journal already has → local name by the naming plan → download to a
// hidden partial file → flush → journal `placing` → place under the final name without overwriting →
// journal `received` → acknowledge. A run killed in between finishes the placing on the next run.
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ScenarioConfig } from '../config/model.js';
import { t } from '../i18n/index.js';
import {
  applyNamingPlan,
  dryRunCounters,
  openCounterStore,
  partialPathFor,
  placeFile,
  removeLeftoverPartials,
  resolvePlan,
  safeLocalName,
  type CounterStore,
  type Placement,
} from '../naming/index.js';
import { registryEntry } from '../protocols/registry.js';
import { hasCapability, isTransferError, localWriteCode, type FetchResult, type ProtocolSession, type RemoteEntry } from '../protocols/contract.js';
import type { EngineContext, Selection } from './context.js';
import { LockHeldError } from '../shared/errors.js';
import { sha256File } from '../shared/hash.js';
import { Journal, type JournalEntry } from './journal.js';
import { JournalIndex } from './journal-index.js';
import { freeBytes } from './local-failure.js';
import { acquireLock } from '../shared/lock.js';
import { Outcomes } from './outcome.js';
import { spoolPaths } from '../shared/paths.js';
import { loadDefinition, openSession } from './protocol-session.js';
import type { CycleResult, FileOutcome } from './results.js';
import { selectScenarios } from './select.js';
import { describeFailure, failureFix, scenarioProblem, sessionProblem } from './failure.js';
import { pause } from '../shared/wait.js';
import { newItemId } from './queue.js';
import { findPlaced } from './placed.js';
import { followScenarios } from './follow.js';

export interface RetrieveRequest {
  selection: Selection;
  listOnly: boolean;
}

export async function retrieve(ctx: EngineContext, request: RetrieveRequest): Promise<CycleResult> {
  const startedAt = ctx.now();
  const outcomes = new Outcomes();
  const selected = selectScenarios(ctx.config, request.selection);
  // Receipts of pending sends come back too (not for a listing, which changes nothing).
  if (!request.listOnly) await followScenarios(ctx, selected, outcomes);
  const scenarios = selected.filter((s) => s.retrieve.enabled);
  if (outcomes.interrupted) return outcomes.result('retrieve', ctx.dryRun || request.listOnly, startedAt, ctx.now());
  await retrieveScenarios(ctx, scenarios, outcomes, { listOnly: request.listOnly, onlyCapable: request.selection.scenarios.length === 0 });
  return outcomes.result('retrieve', ctx.dryRun || request.listOnly, startedAt, ctx.now());
}

/**
 * Retrieve for each scenario. `onlyCapable`: silently skip scenarios whose protocol cannot list
 * (a send-only scenario in a full cycle); otherwise say so.
 */
export async function retrieveScenarios(
  ctx: EngineContext,
  scenarios: ScenarioConfig[],
  outcomes: Outcomes,
  options: { listOnly: boolean; onlyCapable: boolean },
): Promise<void> {
  const journal = new JournalIndex(ctx.config.root, { log: (key, params) => ctx.log.warn(key, params) });
  const store = openCounterStore(ctx.config);
  const counters = ctx.dryRun ? dryRunCounters(store) : store;
  for (const scenario of scenarios) {
    if (ctx.signal.aborted) {
      outcomes.interrupted = true;
      return;
    }
    let definition;
    try {
      definition = await loadDefinition(scenario.protocol);
    } catch (error) {
      outcomes.problem({ scenario: scenario.name, message: describeFailure(error), connection: true });
      continue;
    }
    if (!hasCapability(definition, 'list') || !hasCapability(definition, 'fetch')) {
      if (!options.onlyCapable) {
        outcomes.problem({ scenario: scenario.name, message: t('engine.cannotRetrieve', { scenario: scenario.name, protocol: scenario.protocol }) });
      }
      continue;
    }
    if (!hasInbox(scenario)) {
      if (!options.onlyCapable) outcomes.problem({ scenario: scenario.name, message: t('engine.noInbox', { scenario: scenario.name }) });
      continue;
    }
    await retrieveScenario(ctx, scenario, journal, counters, outcomes, options.listOnly);
  }
  if (ctx.signal.aborted) outcomes.interrupted = true;
}

/**
 * Protocols whose scenarios say where to retrieve from (an `inbox` option) retrieve only when it is set,
 * so that a send-only scenario needs no switch; the others (a gateway, a spool) know where to look.
 */
function hasInbox(scenario: ScenarioConfig): boolean {
  const takesInbox = registryEntry(scenario.protocol)?.declaration.features.usesInbox ?? false;
  return !takesInbox || typeof scenario.options.inbox === 'string';
}

async function retrieveScenario(
  ctx: EngineContext,
  scenario: ScenarioConfig,
  journal: JournalIndex,
  counters: CounterStore,
  outcomes: Outcomes,
  listOnly: boolean,
): Promise<void> {
  ctx.onEvent({ type: 'scenario', scenario: scenario.name, phase: 'retrieve' });
  const paths = spoolPaths(ctx.config);
  let lock;
  if (!ctx.dryRun && !listOnly) {
    try {
      lock = await acquireLock(paths.lock(`retrieve-${scenario.profile}-${scenario.protocol}`), { command: ctx.command });
    } catch (error) {
      if (!(error instanceof LockHeldError)) throw error;
      ctx.log.warn('engine.lockHeld', error.params);
      outcomes.problem({ scenario: scenario.name, message: error.describe(), fix: error.fix() ?? '', lockHeld: true });
      return;
    }
  }
  const known = receiveJournal(journal);
  let session: ProtocolSession | undefined;
  let retriever: Retriever | undefined;
  try {
    // Under the lock, what its previous holder wrote is indexed first; a listing or dry run writes nothing.
    await (lock !== undefined ? journal.catchUp() : journal.view());
    if (lock !== undefined) await sweepPartials(ctx, scenario, await journal.unfinishedPlacingPaths());
    try {
      session = (await openSession(ctx, scenario)).session;
    } catch (error) {
      outcomes.problem(sessionProblem(ctx, scenario, error));
      return;
    }
    let entries: RemoteEntry[];
    try {
      // The definition says the protocol retrieves: its sessions list.
      if (session.list === undefined) throw new TypeError(`${scenario.protocol}: a session without list()`);
      entries = await session.list({
        // The name as announced: t() escapes control characters in every parameter.
        onSkipped: (skipped) => ctx.log.warn('engine.entrySkipped', { scenario: scenario.name, name: skipped.name, reason: t(skipped.key, skipped.params ?? {}) }),
      });
    } catch (error) {
      const reason = describeFailure(error);
      const fix = failureFix(error);
      outcomes.problem(
        scenarioProblem(ctx, scenario.name, t('engine.listFailed', { reason }), {
          ...(fix === undefined ? {} : { fix }),
          connection: isTransferError(error) ? error.connection || error.kind === 'transient' : false,
        }),
      );
      return;
    }
    retriever = new Retriever(ctx, scenario, session, counters, outcomes);
    ctx.log.info('engine.listed', { scenario: scenario.name, count: entries.length });
    for (const entry of entries) {
      if (ctx.signal.aborted) {
        outcomes.interrupted = true;
        return;
      }
      const key = entryKey(scenario, entry);
      const previous = await known(key);
      if (listOnly) {
        outcomes.add(base(scenario, entry, 'waiting', previous?.state === 'received' ? { localPath: previous.path ?? '' } : {}));
        continue;
      }
      if (previous?.state === 'acknowledged') continue;
      if (previous?.state === 'received') {
        await retriever.acknowledge(entry, key, previous.path ?? '');
        continue;
      }
      if (previous?.state === 'placing') {
        await retriever.resumePlacing(entry, key, previous);
        continue;
      }
      await retriever.fetch(entry, key);
    }
  } finally {
    await retriever?.close();
    await session?.close().catch(() => undefined);
    lock?.release();
  }
}

/**
 * What the journal says about a remote entry, by its key: its last `placing`, `received` or
 * `acknowledged` line. The one question retrieval asks the journal, a lookup in the journal index.
 */
function receiveJournal(index: JournalIndex): (key: string) => Promise<JournalEntry | undefined> {
  return (key) => index.received(key);
}

/** Partial files left in recus/<profile>/ by a run of this host that died (or older than a day): removed, under the lock. */
async function sweepPartials(ctx: EngineContext, scenario: ScenarioConfig, keep: ReadonlySet<string>): Promise<void> {
  const dir = spoolPaths(ctx.config).received(scenario.profile);
  const sweep = await removeLeftoverPartials(dir, keep, ctx.now().getTime());
  if (sweep.removed.length > 0) ctx.log.info('engine.partialsRemoved', { scenario: scenario.name, folder: dir, count: sweep.removed.length });
  if (sweep.kept.length > 0) ctx.log.debug('engine.partialsKept', { scenario: scenario.name, folder: dir, count: sweep.kept.length });
}

function entryKey(scenario: ScenarioConfig, entry: RemoteEntry): string {
  return [scenario.profile, scenario.protocol, entry.id, entry.size ?? '', entry.mtime?.toISOString() ?? ''].join('|');
}

function base(scenario: ScenarioConfig, entry: RemoteEntry, status: FileOutcome['status'], extra: Partial<FileOutcome> = {}): FileOutcome {
  return {
    scenario: scenario.name,
    direction: 'receive',
    name: entry.name,
    status,
    remoteId: entry.id,
    ...(entry.size === undefined ? {} : { size: entry.size }),
    ...extra,
  };
}

class Retriever {
  private readonly journal: Journal;
  private first = true;

  constructor(
    private readonly ctx: EngineContext,
    private readonly scenario: ScenarioConfig,
    private readonly session: ProtocolSession,
    private readonly counters: CounterStore,
    private readonly outcomes: Outcomes,
  ) {
    this.journal = new Journal(ctx.config.root, ctx.runId);
  }

  async close(): Promise<void> {
    await this.journal.close();
  }

  private get dir(): string {
    return spoolPaths(this.ctx.config).received(this.scenario.profile);
  }

  async fetch(entry: RemoteEntry, key: string): Promise<void> {
    const { ctx, scenario } = this;
    if (!this.first && scenario.delays.retrieveMs > 0) {
      ctx.onEvent({ type: 'wait', scenario: scenario.name, ms: scenario.delays.retrieveMs, reason: 'delay' });
      if (!(await pause(scenario.delays.retrieveMs, ctx.signal))) {
        this.outcomes.interrupted = true;
        return;
      }
    }
    this.first = false;
    const dir = this.dir;
    const plan = resolvePlan(ctx.config.naming, scenario.naming);
    const naming = await applyNamingPlan(plan, { name: entry.name, profile: scenario.profile, now: ctx.now(), counters: this.counters, dryRun: ctx.dryRun });
    for (const note of naming.notes) ctx.log.info(note.key, { ...note.params, scenario: scenario.name });
    if (ctx.dryRun) {
      this.outcomes.add(base(scenario, entry, 'would-receive', { localPath: join(dir, naming.name) }));
      return;
    }
    await mkdir(dir, { recursive: true });
    const partial = partialPathFor(dir, naming.name);
    const startedAt = ctx.now().toISOString();
    ctx.log.info('engine.receiving', { scenario: scenario.name, file: entry.name, name: naming.name });
    ctx.onEvent({ type: 'file-start', scenario: scenario.name, direction: 'receive', name: entry.name, ...(entry.size === undefined ? {} : { size: entry.size }) });
    let fetched: FetchResult;
    try {
      if (this.session.fetch === undefined) throw new TypeError(`${scenario.protocol}: a session without fetch()`);
      fetched = await this.session.fetch(entry, partial, {
        sha256: true,
        onProgress: (bytes) => ctx.onEvent({ type: 'progress', scenario: scenario.name, name: entry.name, bytes, ...(entry.size === undefined ? {} : { total: entry.size }) }),
      });
    } catch (error) {
      if (isTransferError(error) && error.local) await this.localFailure(entry, partial, error);
      else await this.keepIncomplete(entry, key, partial, error);
      return;
    }
    const size = (await stat(partial)).size;
    // Hashed by the protocol as the bytes arrived, where it could; else read again here.
    const sha256 = fetched.sha256 !== undefined && fetched.bytes === size ? fetched.sha256 : await sha256File(partial, size);
    // Journaled (and flushed) before the final name exists: a run killed from here on finds this line
    // and finishes the placing instead of downloading the file again.
    await this.journal.append({ scenario: scenario.name, direction: 'receive', state: 'placing', file: entry.name, size, sha256, path: partial, wanted: naming.name, remoteId: entry.id, key });
    let placed: Placement;
    try {
      placed = await placeFile(partial, dir, naming.name);
    } catch (error) {
      if (localWriteCode(error) === undefined) throw error;
      await this.localFailure(entry, partial, error);
      return;
    }
    if (placed.collided) ctx.log.warn('engine.nameCollision', { scenario: scenario.name, wanted: naming.name, name: placed.name });
    await this.complete(entry, key, { path: placed.path, size, sha256, startedAt });
  }

  /**
   * The last run was stopped between the `placing` line and `received`: the bytes are here already.
   * The partial still there is placed now (or, when it was placed already and only the partial's name
   * was left, that name goes); else the placed file is found by name, size and sha256. Only when
   * neither is found is the entry downloaded again.
   */
  async resumePlacing(entry: RemoteEntry, key: string, placing: JournalEntry): Promise<void> {
    const { ctx, scenario } = this;
    const dir = this.dir;
    const wanted = safeLocalName(placing.wanted ?? entry.name);
    const partial = placing.path;
    const partialInfo = partial === undefined ? undefined : await stat(partial).catch(() => undefined);
    let path: string | undefined;
    if (partial !== undefined && partialInfo?.isFile() === true && partialInfo.size === placing.size) {
      path = await findPlaced(dir, wanted, (_candidate, info) => Promise.resolve(info.ino === partialInfo.ino && info.dev === partialInfo.dev));
      if (path !== undefined) {
        await rm(partial, { force: true });
      } else {
        const placed = await placeFile(partial, dir, wanted);
        if (placed.collided) ctx.log.warn('engine.nameCollision', { scenario: scenario.name, wanted, name: placed.name });
        path = placed.path;
      }
    } else {
      path = await findPlaced(dir, wanted, async (candidate, info) => info.size === placing.size && (await sha256File(candidate, info.size)) === placing.sha256);
    }
    if (path === undefined) {
      ctx.log.warn('engine.placingLost', { scenario: scenario.name, file: entry.name, name: wanted });
      await this.fetch(entry, key);
      return;
    }
    ctx.log.warn('engine.placingResumed', { scenario: scenario.name, file: entry.name, path });
    await this.complete(entry, key, { path, size: placing.size ?? 0, sha256: placing.sha256 ?? '', resumed: true });
  }

  private async complete(
    entry: RemoteEntry,
    key: string,
    file: { path: string; size: number; sha256: string; startedAt?: string; resumed?: boolean },
  ): Promise<void> {
    const { ctx, scenario } = this;
    const { path, size, sha256 } = file;
    await this.journal.append({ scenario: scenario.name, direction: 'receive', state: 'received', file: entry.name, size, sha256, path, remoteId: entry.id, key });
    ctx.log.info('engine.received', { scenario: scenario.name, file: entry.name, path, size });
    ctx.onEvent({ type: 'file-end', scenario: scenario.name, direction: 'receive', name: entry.name, status: 'received' });
    const extra: Partial<FileOutcome> = { size, sha256, localPath: path, endedAt: ctx.now().toISOString() };
    if (file.startedAt !== undefined) extra.startedAt = file.startedAt;
    if (file.resumed === true) extra.resumed = true;
    this.outcomes.add(base(scenario, entry, 'received', extra));
    await this.acknowledge(entry, key, path);
  }

  async acknowledge(entry: RemoteEntry, key: string, localPath: string): Promise<void> {
    if (this.session.acknowledge === undefined) return;
    try {
      await this.session.acknowledge(entry);
      await this.journal.append({ scenario: this.scenario.name, direction: 'receive', state: 'acknowledged', file: entry.name, path: localPath, remoteId: entry.id, key });
    } catch (error) {
      // The file is safe locally and journaled: the next run acknowledges it again without downloading.
      this.ctx.log.warn('engine.acknowledgeFailed', { scenario: this.scenario.name, file: entry.name, reason: describeFailure(error) });
    }
  }

  /**
   * This machine could not write the file (disk full, quota, read-only or failing disk): nothing is the
   * partner's fault and nothing is kept. The entry is not acknowledged, so the next run fetches it again.
   */
  private async localFailure(entry: RemoteEntry, partial: string, error: unknown): Promise<void> {
    const { ctx, scenario } = this;
    await rm(partial, { force: true }).catch(() => undefined);
    const folder = this.dir;
    const free = await freeBytes(folder);
    const code = (isTransferError(error) ? String(error.params.code ?? '') : '') || (localWriteCode(error) ?? 'EIO');
    const params = { scenario: scenario.name, file: entry.name, folder, code, needed: entry.size ?? '?', free: free ?? '?' };
    const key = entry.size === undefined ? 'engine.localWriteFailedSizeUnknown' : 'engine.localWriteFailed';
    const reason = t(key, params);
    ctx.log.error(key, params);
    ctx.onEvent({ type: 'file-end', scenario: scenario.name, direction: 'receive', name: entry.name, status: 'deferred' });
    this.outcomes.add(base(scenario, entry, 'deferred', { reason }));
  }

  /** Whatever arrived is kept (in failed/<scenario>/), never shown under a final name, and said loudly. */
  private async keepIncomplete(entry: RemoteEntry, key: string, partial: string, error: unknown): Promise<void> {
    const { ctx, scenario } = this;
    const reason = describeFailure(error);
    const bytes = await stat(partial).then((s) => s.size).catch(() => 0);
    let kept: string | undefined;
    if (bytes > 0) {
      const dir = join(spoolPaths(ctx.config).failed(scenario.name), newItemId(ctx.now()));
      await mkdir(dir, { recursive: true });
      kept = join(dir, `${safeLocalName(entry.name)}.incomplete`);
      await rename(partial, kept);
      await writeFile(`${kept}.reason.txt`, `${t('engine.incompleteKept', { file: entry.name, bytes, reason })}\n`);
      await this.journal.append({ scenario: scenario.name, direction: 'receive', state: 'fetch-failed', file: entry.name, size: bytes, path: kept, remoteId: entry.id, key, reason });
      ctx.log.error('engine.incompleteKept', { file: entry.name, bytes, reason });
    } else {
      await rm(partial, { force: true });
    }
    const transient = isTransferError(error) && error.kind === 'transient';
    ctx.log.error('engine.fetchFailed', { scenario: scenario.name, file: entry.name, reason });
    ctx.onEvent({ type: 'file-end', scenario: scenario.name, direction: 'receive', name: entry.name, status: transient ? 'deferred' : 'failed' });
    this.outcomes.add(base(scenario, entry, transient ? 'deferred' : 'failed', { reason, ...(kept ? { localPath: kept } : {}) }));
  }
}
