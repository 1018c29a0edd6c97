// `ordo rename`: apply a naming plan to local files, in place, never over an existing file.
import { lstat, stat } from 'node:fs/promises';
import { renameRetrying } from '../shared/rename-retrying.js';
import { basename, dirname, join } from 'node:path';
import type { NamingPlan, OrdoConfig } from '../config/model.js';
import { t } from '../i18n/index.js';
import {
  applyNamingPlan,
  dryRunCounters,
  findUnknownTokens,
  openCounterStore,
  placeFile,
  resolvePlan,
  tokenList,
  withCollisionSuffix,
  type CounterStore,
  type NamingNote,
} from '../naming/index.js';
import { ExitCode, OrdoError, UsageError } from '../shared/errors.js';

export interface RenameOptions {
  scenario?: string | undefined;
  profile?: string | undefined;
  /** Rename with this format (`--format`), whatever the configured plan says. */
  format?: string | undefined;
  dryRun: boolean;
  now?: Date | undefined;
}

export type RenameStatus = 'renamed' | 'would-rename' | 'unchanged' | 'error';

export interface RenamedFile {
  /** The path as given. */
  from: string;
  /** The new path (the same as `from` when unchanged or in error). */
  to: string;
  status: RenameStatus;
  /** Why it failed (translated). */
  reason?: string;
  /** What is worth telling: name made safe, [RECHERCHE] without match, counter widened, collision (translated). */
  notes: string[];
}

export interface RenameResult {
  files: RenamedFile[];
}

interface Naming {
  plan: NamingPlan;
  profile: string;
  counters: CounterStore;
  dryRun: boolean;
  now: Date | undefined;
  /** --dry-run: names already promised to earlier files of this run. */
  promised: Set<string>;
}

/**
 * Each file is renamed on its own: a missing file is reported and the others go on. A counter that
 * cannot be read or locked stops everything (its error carries the configuration or lock exit code).
 */
export async function renameFiles(config: OrdoConfig, files: string[], options: RenameOptions): Promise<RenameResult> {
  const store = openCounterStore(config);
  const naming: Naming = {
    ...choosePlan(config, options),
    counters: options.dryRun ? dryRunCounters(store) : store,
    dryRun: options.dryRun,
    now: options.now,
    promised: new Set(),
  };
  const results: RenamedFile[] = [];
  for (const file of files) results.push(await renameOne(file, naming));
  return { files: results };
}

/** `--format` wins; then the scenario's plan over the default one. [nomprofil]: `--profile`, else the scenario's. */
function choosePlan(config: OrdoConfig, options: RenameOptions): { plan: NamingPlan; profile: string } {
  const scenario = options.scenario === undefined ? undefined : config.scenarios[options.scenario];
  if (options.scenario !== undefined && scenario === undefined) {
    throw new UsageError('naming.rename.unknownScenario', { scenario: options.scenario, known: namesOf(config.scenarios) });
  }
  if (options.profile !== undefined && config.profiles[options.profile] === undefined) {
    throw new UsageError('naming.rename.unknownProfile', { profile: options.profile, known: namesOf(config.profiles) });
  }
  let plan = resolvePlan(config.naming, scenario?.naming);
  if (options.format !== undefined) {
    const [token] = findUnknownTokens(options.format);
    if (token !== undefined) throw new UsageError('naming.rename.unknownToken', { token, tokens: tokenList() }, 'naming.unknownToken.fix');
    if (options.format.trim() === '') throw new UsageError('naming.rename.emptyFormat', { tokens: tokenList() }, 'naming.unknownToken.fix');
    plan = { ...plan, rename: true, format: options.format };
  }
  return { plan, profile: options.profile ?? scenario?.profile ?? '' };
}

async function renameOne(file: string, naming: Naming): Promise<RenamedFile> {
  const dir = dirname(file);
  const oldName = basename(file);
  const failed = (reason: string, notes: string[] = []): RenamedFile => ({ from: file, to: file, status: 'error', reason, notes });
  try {
    if (!(await stat(file)).isFile()) return failed(t('naming.rename.notFile', { file }));
  } catch (error) {
    return failed(describeFailure(file, error));
  }

  let notes: string[] = [];
  try {
    const result = await applyNamingPlan(naming.plan, {
      name: oldName,
      profile: naming.profile,
      now: naming.now ?? new Date(),
      counters: naming.counters,
      dryRun: naming.dryRun,
    });
    notes = result.notes.map(translate);
    if (result.name === oldName) return { from: file, to: file, status: 'unchanged', notes };

    if (naming.dryRun) {
      const name = await firstFreeName(dir, result.name, naming.promised);
      naming.promised.add(name);
      if (name !== result.name) notes.push(t('naming.collision', { name: result.name, to: name }));
      return { from: file, to: join(dir, name), status: 'would-rename', notes };
    }
    const to = await moveInPlace(file, dir, oldName, result.name, notes);
    return { from: file, to, status: 'renamed', notes };
  } catch (error) {
    if (error instanceof OrdoError && (error.exitCode === ExitCode.config || error.exitCode === ExitCode.locked)) throw error;
    return failed(describeFailure(file, error), notes);
  }
}

async function moveInPlace(file: string, dir: string, oldName: string, name: string, notes: string[]): Promise<string> {
  const target = join(dir, name);
  if (name.toLowerCase() === oldName.toLowerCase() && (await isSameFile(file, target))) {
    // Only the letter case changes, on a case-insensitive file system: the "existing" file is this one.
    // The file may be held a moment by an editor or an antivirus (Windows): tried again briefly.
    await renameRetrying(file, target);
    return target;
  }
  const placed = await placeFile(file, dir, name);
  if (placed.collided) notes.push(t('naming.collision', { name, to: placed.name }));
  return placed.path;
}

async function firstFreeName(dir: string, name: string, promised: Set<string>): Promise<string> {
  for (let n = 0; ; n++) {
    const candidate = withCollisionSuffix(name, n);
    if (!promised.has(candidate) && !(await exists(join(dir, candidate)))) return candidate;
  }
}

async function isSameFile(a: string, b: string): Promise<boolean> {
  try {
    const [sa, sb] = await Promise.all([stat(a), stat(b)]);
    return sa.dev === sb.dev && sa.ino === sb.ino;
  } catch {
    return false;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

function describeFailure(file: string, error: unknown): string {
  if (error instanceof OrdoError) return error.describe();
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return t('naming.rename.missing', { file });
  return t('naming.rename.failed', { file, reason: code ?? String((error as Error | undefined)?.message ?? error) });
}

function translate(note: NamingNote): string {
  return t(note.key, note.params);
}

function namesOf(record: Record<string, unknown>): string {
  return Object.keys(record).join(', ') || '—';
}
