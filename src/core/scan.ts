// Detect: the files of a scenario's source folder that match its filter and are ready to send.
// Ready = size and mtime unchanged across two looks `settle` apart (a file still being written is the
// classic failure), not empty unless allowed, not a temporary file, and its done marker present when
// the scenario asks for one.
import { opendir } from 'node:fs/promises';
import * as fs from 'node:fs';
import { resolve, sep } from 'node:path';
import type { ScenarioConfig } from '../config/model.js';
import { t } from '../i18n/index.js';
import type { EngineContext, Selection } from './context.js';
import { ExitCode } from '../shared/errors.js';
import type { ScanCandidate, ScanResult, ScenarioProblem } from './results.js';
import { selectScenarios } from './select.js';
import { pause } from '../shared/wait.js';
import { listSource } from './source-listing.js';

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
  const { names: sorted, unreadable } = await listSource(scenario, source);
  const files: ScanCandidate[] = [];
  // The listing's names are plain relative paths: once the source is normalised, a concatenation is their
  // join (path.join would normalise each one again).
  const base = resolve(source);
  const prefix = base.endsWith(sep) ? base : base + sep;
  const pathOf = sep === '/' ? (name: string) => prefix + name : (name: string) => prefix + name.replaceAll('/', sep);
  await lookAtEach(sorted, pathOf, (name, s, path) => {
    // Gone between the listing and the look (someone else took it), or not a file.
    if (s?.isFile()) files.push({ scenario: scenario.name, path, name, size: s.size, mtimeMs: s.mtimeMs, ready: true });
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
      const candidate: ScanCandidate = { ...file, size: now.size, mtimeMs: now.mtimeMs };
      looked.push(candidate.size !== file.size || candidate.mtimeMs !== file.mtimeMs ? { ...candidate, ready: false, why: t('engine.notSettled') } : candidate);
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
