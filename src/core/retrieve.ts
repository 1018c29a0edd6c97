// Retrieval: list → skip what the journal already has → local name by the naming plan → download to a
// hidden partial file → flush → place under the final name without overwriting → journal → acknowledge.
import { rm, stat, mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ScenarioConfig } from '../config/model.js';
import { t } from '../i18n/index.js';
import { applyNamingPlan, dryRunCounters, openCounterStore, partialPathFor, placeFile, resolvePlan, safeLocalName, type CounterStore } from '../naming/index.js';
import { registryEntry } from '../protocols/registry.js';
import { hasCapability, isTransferError, type ProtocolSession, type RemoteEntry } from '../protocols/contract.js';
import type { EngineContext, Selection } from './context.js';
import { LockHeldError } from './errors.js';
import { sha256File } from './hash.js';
import { Journal, readJournal, type JournalEntry } from './journal.js';
import { acquireLock } from './lock.js';
import { Outcomes } from './outcome.js';
import { spoolPaths } from './paths.js';
import { loadDefinition, openSession } from './protocol-session.js';
import type { CycleResult, FileOutcome } from './results.js';
import { selectScenarios } from './select.js';
import { describeFailure, failureFix, sessionProblem } from './send.js';
import { pause } from './wait.js';
import { newItemId } from './queue.js';

export interface RetrieveRequest {
  selection: Selection;
  listOnly: boolean;
}

export async function retrieve(ctx: EngineContext, request: RetrieveRequest): Promise<CycleResult> {
  const startedAt = ctx.now();
  const outcomes = new Outcomes();
  const scenarios = selectScenarios(ctx.config, request.selection).filter((s) => s.retrieve.enabled);
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
  const journal = await readJournal(ctx.config.root);
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
  const takesInbox = registryEntry(scenario.protocol)?.optionKeys.includes('inbox') ?? false;
  return !takesInbox || typeof scenario.options.inbox === 'string';
}

async function retrieveScenario(
  ctx: EngineContext,
  scenario: ScenarioConfig,
  journal: JournalEntry[],
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
  let session: ProtocolSession | undefined;
  let retriever: Retriever | undefined;
  try {
    try {
      session = (await openSession(ctx, scenario)).session;
    } catch (error) {
      outcomes.problem(sessionProblem(ctx, scenario, error));
      return;
    }
    let entries: RemoteEntry[];
    try {
      entries = await session.list!();
    } catch (error) {
      const reason = describeFailure(error);
      ctx.log.error('engine.listFailed', { scenario: scenario.name, reason });
      const fix = failureFix(error);
      outcomes.problem({
        scenario: scenario.name,
        message: t('engine.listFailed', { scenario: scenario.name, reason }),
        ...(fix === undefined ? {} : { fix }),
        connection: isTransferError(error) ? error.connection || error.kind === 'transient' : false,
      });
      return;
    }
    const known = journalByKey(journal);
    retriever = new Retriever(ctx, scenario, session, counters, outcomes);
    ctx.log.info('engine.listed', { scenario: scenario.name, count: entries.length });
    for (const entry of entries) {
      if (ctx.signal.aborted) {
        outcomes.interrupted = true;
        return;
      }
      const key = entryKey(scenario, entry);
      const previous = known.get(key);
      if (listOnly) {
        outcomes.add(base(scenario, entry, 'waiting', previous?.state === 'received' ? { localPath: previous.path ?? '' } : {}));
        continue;
      }
      if (previous?.state === 'acknowledged') continue;
      if (previous?.state === 'received') {
        await retriever.acknowledge(entry, key, previous.path ?? '');
        continue;
      }
      await retriever.fetch(entry, key);
    }
  } finally {
    await retriever?.close();
    await session?.close().catch(() => undefined);
    await lock?.release();
  }
}

function journalByKey(entries: JournalEntry[]): Map<string, JournalEntry> {
  const map = new Map<string, JournalEntry>();
  for (const entry of entries) {
    if (entry.direction === 'receive' && entry.key !== undefined && (entry.state === 'received' || entry.state === 'acknowledged')) {
      map.set(entry.key, entry);
    }
  }
  return map;
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
    const dir = spoolPaths(ctx.config).received(scenario.profile);
    const plan = resolvePlan(ctx.config.naming, scenario.naming);
    const naming = await applyNamingPlan(plan, { name: entry.name, profile: scenario.profile, now: ctx.now(), counters: this.counters, dryRun: ctx.dryRun });
    for (const note of naming.notes) ctx.log.info(note.key, { ...note.params, scenario: scenario.name });
    if (ctx.dryRun) {
      this.outcomes.add(base(scenario, entry, 'would-receive', { localPath: join(dir, naming.name) }));
      return;
    }
    await mkdir(dir, { recursive: true });
    const partial = partialPathFor(dir);
    const startedAt = ctx.now().toISOString();
    ctx.log.info('engine.receiving', { scenario: scenario.name, file: entry.name, name: naming.name });
    ctx.onEvent({ type: 'file-start', scenario: scenario.name, direction: 'receive', name: entry.name, ...(entry.size === undefined ? {} : { size: entry.size }) });
    try {
      await this.session.fetch!(entry, partial, {
        onProgress: (bytes) => ctx.onEvent({ type: 'progress', scenario: scenario.name, name: entry.name, bytes, ...(entry.size === undefined ? {} : { total: entry.size }) }),
      });
    } catch (error) {
      await this.keepIncomplete(entry, key, partial, error);
      return;
    }
    const size = (await stat(partial)).size;
    const sha256 = await sha256File(partial, size);
    const placed = await placeFile(partial, dir, naming.name);
    if (placed.collided) ctx.log.warn('engine.nameCollision', { scenario: scenario.name, wanted: naming.name, name: placed.name });
    await this.journal.append({ scenario: scenario.name, direction: 'receive', state: 'received', file: entry.name, size, sha256, path: placed.path, remoteId: entry.id, key });
    ctx.log.info('engine.received', { scenario: scenario.name, file: entry.name, path: placed.path, size });
    ctx.onEvent({ type: 'file-end', scenario: scenario.name, direction: 'receive', name: entry.name, status: 'received' });
    this.outcomes.add(base(scenario, entry, 'received', { size, sha256, localPath: placed.path, startedAt, endedAt: ctx.now().toISOString() }));
    await this.acknowledge(entry, key, placed.path);
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

