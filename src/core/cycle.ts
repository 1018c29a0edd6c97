// `run`: one full cycle (recover, scan, send, retrieve). `watch`: cycles every interval until stopped.
import type { ScenarioConfig } from '../config/model.js';
import type { EngineContext, Selection } from './context.js';
import { followScenarios } from './follow.js';
import { Outcomes } from './outcome.js';
import type { CycleResult, WatchCycle } from './results.js';
import { retrieveScenarios } from './retrieve.js';
import { selectScenarios } from './select.js';
import { sendScenarios } from './send.js';
import { pause } from '../shared/wait.js';

export async function runCycle(ctx: EngineContext, selection: Selection): Promise<CycleResult> {
  return cycle(ctx, selection, () => true);
}

/**
 * Every `intervalMs` a cycle. In watch mode a scenario retrieves on every cycle when it has no
 * `retrieve.at` hours; with hours, at each of those hours and after a cycle that sent something
 * (when `retrieve.afterSend`). Stops after the file in progress when the signal aborts.
 */
export async function watch(
  ctx: EngineContext,
  options: { selection: Selection; intervalMs: number },
  onCycle: (cycle: WatchCycle) => void,
): Promise<CycleResult> {
  const startedAt = ctx.now();
  const overall = new Outcomes();
  let lastCycleAt: Date | undefined;
  for (let n = 1; !ctx.signal.aborted; n++) {
    const cycleStart = ctx.now();
    const since = lastCycleAt;
    const result = await cycle(ctx, options.selection, (scenario, sentSomething) => shouldRetrieveInWatch(scenario, sentSomething, since, cycleStart));
    lastCycleAt = cycleStart;
    for (const file of result.files) overall.add(file);
    for (const problem of result.problems) overall.problem(problem);
    onCycle({ cycle: n, result });
    if (result.interrupted) break;
    if (!(await pause(options.intervalMs, ctx.signal))) break;
  }
  overall.interrupted = ctx.signal.aborted;
  return { ...overall.result('watch', ctx.dryRun, startedAt, ctx.now()) };
}

async function cycle(
  ctx: EngineContext,
  selection: Selection,
  retrieveWanted: (scenario: ScenarioConfig, sentSomething: boolean) => boolean,
): Promise<CycleResult> {
  const startedAt = ctx.now();
  const outcomes = new Outcomes();
  ctx.log.info('engine.cycleStart', { command: ctx.command });
  const sent = new Set((await sendScenarios(ctx, { selection, retrieveAfter: false }, outcomes)).map((s) => s.name));
  // The partner's later word on earlier pending sends, at each scenario's `receipts.every`.
  if (!outcomes.interrupted) await followScenarios(ctx, selectScenarios(ctx.config, selection), outcomes);
  if (!outcomes.interrupted) {
    const toRetrieve = selectScenarios(ctx.config, selection).filter(
      (s) => s.retrieve.enabled && retrieveWanted(s, sent.has(s.name)),
    );
    await retrieveScenarios(ctx, toRetrieve, outcomes, { listOnly: false, onlyCapable: true });
  }
  const result = outcomes.result('run', ctx.dryRun, startedAt, ctx.now());
  ctx.log.info('engine.cycleEnd', {
    sent: result.files.filter((f) => (f.status === 'sent' || f.status === 'pending') && f.followed !== true).length,
    received: result.files.filter((f) => f.status === 'received').length,
    failed: result.files.filter((f) => f.status === 'failed' || f.status === 'deferred' || f.status === 'uncertain' || f.status === 'refused').length,
    code: result.exitCode,
  });
  return result;
}

export function shouldRetrieveInWatch(scenario: ScenarioConfig, sentSomething: boolean, since: Date | undefined, now: Date): boolean {
  if (scenario.retrieve.at.length === 0) return true;
  if (sentSomething && scenario.retrieve.afterSend) return true;
  if (since === undefined) return false;
  return scenario.retrieve.at.some((hhmm) => crossed(hhmm, since, now));
}

/** Did the clock pass HH:MM (local time) in (since, now]? */
function crossed(hhmm: string, since: Date, now: Date): boolean {
  const [h, m] = hhmm.split(':').map(Number);
  const mark = new Date(now);
  mark.setHours(h ?? 0, m ?? 0, 0, 0);
  if (mark > now) mark.setDate(mark.getDate() - 1);
  return mark > since && mark <= now;
}
