// Detect: the files of a scenario's source folder that match its filter and are ready to send.
// Ready = size and mtime unchanged across two looks `settle` apart (a file still being written is the
// classic failure), not empty unless allowed, not a temporary file, and its done marker present when
// the scenario asks for one.
import { opendir } from 'node:fs/promises';
import * as fs from 'node:fs';
import { join } from 'node:path';
import type { FileSystemAdapter } from 'fast-glob';
import type { ScenarioConfig } from '../config/model.js';
import { t } from '../i18n/index.js';
import type { EngineContext, Selection } from './context.js';
import { ExitCode } from '../shared/errors.js';
import type { ScanCandidate, ScanResult, ScenarioProblem } from './results.js';
import { selectScenarios } from './select.js';
import { pause } from '../shared/wait.js';

/** Files that producing software writes while working, and ordo's own temporary files. */
export const TEMPORARY_PATTERNS = [
  '*.tmp', '*.temp', '*.part', '*.partial', '*.filepart', '*.crdownload', '*.download',
  '~$*', '~*.tmp', '.~lock.*', '*.lck', '*.ordo-part', '*.swp',
];

const caseSensitive = process.platform !== 'win32' && process.platform !== 'darwin';

export async function scan(ctx: EngineContext, selection: Selection): Promise<ScanResult> {
  const result: ScanResult = { scenarios: [], problems: [], exitCode: ExitCode.ok };
  const scenarios = selectScenarios(ctx.config, selection).filter((s): s is ScenarioConfig & { source: string } => s.source !== undefined);
  const looks = await Promise.all(scenarios.map(async (scenario) => ({ scenario, look: await firstLook(scenario) })));
  const settle = Math.max(0, ...scenarios.map((s) => s.settleMs));
  if (looks.some(({ look }) => look.files.length > 0) && settle > 0) await pause(settle, ctx.signal);
  for (const { scenario, look } of looks) {
    if (look.problem) result.problems.push(look.problem);
    const files = await secondLook(scenario, look.files);
    result.scenarios.push({ scenario: scenario.name, source: scenario.source, files, unreadable: look.unreadable });
  }
  if (result.problems.length > 0) result.exitCode = ExitCode.partial;
  return result;
}

/** Ready files of one scenario (both looks), for the send pipeline. */
export async function readyFiles(scenario: ScenarioConfig, signal?: AbortSignal): Promise<{
  files: ScanCandidate[];
  unreadable: string[];
  problem?: ScenarioProblem;
}> {
  const look = await firstLook(scenario);
  if (look.files.length > 0 && scenario.settleMs > 0) await pause(scenario.settleMs, signal);
  const files = (await secondLook(scenario, look.files)).filter((f) => f.ready);
  return { files, unreadable: look.unreadable, ...(look.problem ? { problem: look.problem } : {}) };
}

interface FirstLook {
  files: ScanCandidate[];
  unreadable: string[];
  problem?: ScenarioProblem;
}

export async function firstLook(scenario: ScenarioConfig): Promise<FirstLook> {
  // send also looks at scenarios without a source folder that only have queued items: nothing to detect.
  const source = scenario.source;
  if (source === undefined) return { files: [], unreadable: [] };
  let empty: boolean;
  try {
    // Its first entry only: a folder of 100 000 files is listed once, below, and an empty one not at all.
    const folder = await opendir(source);
    try {
      empty = (await folder.read()) === null;
    } finally {
      await folder.close();
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'ERROR';
    return {
      files: [],
      unreadable: [],
      problem: {
        scenario: scenario.name,
        message: t('engine.sourceUnreadable', { path: source, code }),
        fix: t('engine.sourceUnreadable.fix', { scenario: scenario.name }),
      },
    };
  }
  if (empty) return { files: [], unreadable: [] };
  // Loaded here, not at start-up: a cycle with nothing to do does not need it.
  const { default: fg } = await import('fast-glob');
  const unreadable: string[] = [];
  const names = await fg(scenario.filter.map(toGlob), {
    cwd: source,
    // The temporary patterns as one (a brace list): one match per file instead of thirteen.
    ignore: [...scenario.exclude.map(toGlob), `**/{${TEMPORARY_PATTERNS.join(',')}}`, ...markerIgnore(scenario, fg.escapePath)],
    onlyFiles: true,
    dot: false,
    followSymbolicLinks: false,
    // Duplicates (a file two patterns find) are dropped below, once sorted: cheaper than fast-glob's set.
    unique: false,
    caseSensitiveMatch: caseSensitive,
    deep: scenario.filter.some((p) => p.includes('/') || p.includes('\\')) ? Infinity : 1,
    fs: { ...fs, readdir: recordingReaddir(source, unreadable) } as unknown as FileSystemAdapter,
  });
  const files: ScanCandidate[] = [];
  const sorted = names.sort().filter((name, index, all) => index === 0 || name !== all[index - 1]);
  await lookAtEach(sorted, (name) => join(source, name), (name, s, path) => {
    // Gone between the listing and the look (someone else took it), or not a file.
    if (s?.isFile()) files.push({ scenario: scenario.name, path, name, size: s.size, mtime: isoTime(s.mtimeMs), ready: true });
  });
  return { files, unreadable };
}

async function secondLook(scenario: ScenarioConfig, files: ScanCandidate[]): Promise<ScanCandidate[]> {
  // Without a settle time the first look, taken an instant ago, is the second one.
  let looked = files;
  if (scenario.settleMs > 0) {
    looked = [];
    await lookAtEach(files, (file) => file.path, (file, now) => {
      if (now === undefined) return;
      const candidate: ScanCandidate = { ...file, size: now.size, mtime: isoTime(now.mtimeMs) };
      looked.push(candidate.size !== file.size || candidate.mtime !== file.mtime ? { ...candidate, ready: false, why: t('engine.notSettled') } : candidate);
    });
  }
  const marker = scenario.doneMarker;
  const out: ScanCandidate[] = [];
  const decide = (candidate: ScanCandidate, marked: boolean) => {
    if (!candidate.ready) out.push(candidate);
    else if (candidate.size === 0 && !scenario.allowEmpty) out.push({ ...candidate, ready: false, why: t('engine.emptyFile') });
    else if (!marked) out.push({ ...candidate, ready: false, why: t('engine.noDoneMarker', { marker: marker ?? '' }) });
    else out.push(candidate);
  };
  if (marker === undefined) for (const candidate of looked) decide(candidate, true);
  else await lookAtEach(looked, (candidate) => candidate.path + marker, (candidate, found) => decide(candidate, found !== undefined));
  return out;
}

/** `Stats.mtime` would make a Date for every file looked at, and keep it. */
function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

const LOOKS_PER_TURN = 256;

/**
 * Gives `seen` what is at each item's path (undefined: nothing, or nothing this process may see), in
 * order. Looked at synchronously, a few hundred at a time between turns of the event loop: one
 * thread-pool trip per file made a folder of 100 000 files take half a minute, and the loop stays free
 * for timers and signals.
 */
async function lookAtEach<T>(items: readonly T[], pathOf: (item: T) => string, seen: (item: T, stats: fs.Stats | undefined, path: string) => void): Promise<void> {
  for (const [index, item] of items.entries()) {
    if (index > 0 && index % LOOKS_PER_TURN === 0) await new Promise((resolve) => setImmediate(resolve));
    const path = pathOf(item);
    let stats: fs.Stats | undefined;
    try {
      stats = fs.statSync(path, { throwIfNoEntry: false });
    } catch {
      stats = undefined;
    }
    seen(item, stats, path);
  }
}

function markerIgnore(scenario: ScenarioConfig, escapePath: (path: string) => string): string[] {
  return scenario.doneMarker === undefined ? [] : [`**/*${escapePath(scenario.doneMarker)}`];
}

/** User patterns may be written with Windows separators; fast-glob wants forward slashes. */
function toGlob(pattern: string): string {
  return process.platform === 'win32' ? pattern.replace(/\\/g, '/') : pattern;
}

/** fast-glob skips unreadable folders silently (suppressErrors); this records them so the scan reports them. */
function recordingReaddir(source: string, unreadable: string[]): typeof fs.readdir {
  const wrapped = ((path: fs.PathLike, options: unknown, callback: (err: NodeJS.ErrnoException | null, files?: unknown) => void) => {
    const cb = typeof options === 'function' ? (options as typeof callback) : callback;
    const opts = typeof options === 'function' ? {} : options;
    fs.readdir(path, opts as fs.ObjectEncodingOptions & { withFileTypes: true }, (err, entries) => {
      if (err && (err.code === 'EACCES' || err.code === 'EPERM')) {
        const relative = String(path).startsWith(source) ? String(path) : join(source, String(path));
        unreadable.push(relative);
        cb(null, []);
        return;
      }
      cb(err, entries);
    });
  }) as unknown as typeof fs.readdir;
  return wrapped;
}
