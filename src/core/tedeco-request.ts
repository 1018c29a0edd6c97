// `ordo tedeco-request <file> --scenario S`: the file goes through exactly the pipeline of
// `ordo send --scenario S <file>` (lock, backup, journal, duplicates, retries); the scenario must be a
// tedeco one, whose send writes the pair fiNNNN + rqNNNN. Under --dry-run nothing is written and no
// counter moves, but the result names the request the file would get (counters peeked).
import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { ScenarioConfig } from '../config/model.js';
import type { EngineContext } from './context.js';
import { UsageError } from '../shared/errors.js';
import { sha256File } from '../shared/hash.js';
import { Outcomes } from './outcome.js';
import { openSession } from './protocol-session.js';
import type { CycleResult, FileOutcome } from './results.js';
import { findScenario } from './select.js';
import { describeFailure } from './failure.js';
import { send } from './send.js';

export const TEDECO_PROTOCOL = 'tedeco';

export interface TedecoRequestInput {
  /** As given with --scenario (case-insensitive). */
  scenario: string;
  /** Absolute path of the file to send. */
  file: string;
}

export async function tedecoRequest(ctx: EngineContext, input: TedecoRequestInput): Promise<CycleResult> {
  const scenario = findScenario(ctx.config, input.scenario);
  if (scenario === undefined) {
    const known = Object.values(ctx.config.scenarios).map((s) => s.name).join(', ') || '—';
    throw new UsageError('engine.unknownScenario', { name: input.scenario, known });
  }
  if (scenario.protocol !== TEDECO_PROTOCOL) {
    throw new UsageError('protocol.tedeco.request.notTedeco', { scenario: scenario.name, protocol: scenario.protocol }, 'protocol.tedeco.request.notTedeco.fix');
  }
  const result = await send(ctx, { selection: { scenarios: [scenario.name], profiles: [] }, files: [input.file], retrieveAfter: false });
  return ctx.dryRun ? withPreview(ctx, scenario, result, resolve(input.file)) : result;
}

/** The request the file would get, or why it would be refused (records, names), asked of the protocol in dry-run mode. */
async function withPreview(ctx: EngineContext, scenario: ScenarioConfig, result: CycleResult, file: string): Promise<CycleResult> {
  const outcome = result.files.find((f) => f.status === 'would-send' && f.localPath === file && f.resumed !== true);
  if (outcome === undefined) return result;
  const previewed = await preview(ctx, scenario, file);
  const files = result.files.map((f): FileOutcome => (f === outcome ? { ...f, ...previewed } : f));
  const outcomes = new Outcomes();
  for (const f of files) outcomes.add(f);
  for (const problem of result.problems) outcomes.problem(problem);
  outcomes.interrupted = result.interrupted;
  return outcomes.result(result.command, result.dryRun, new Date(result.startedAt), new Date(result.endedAt));
}

async function preview(ctx: EngineContext, scenario: ScenarioConfig, file: string): Promise<Partial<FileOutcome>> {
  let session;
  try {
    session = (await openSession(ctx, scenario)).session;
    const item = { path: file, name: basename(file), size: (await stat(file)).size, sha256: await sha256File(file) };
    if (session.send === undefined) throw new TypeError(`${scenario.protocol}: a session without send()`);
    const receipt = await session.send(item);
    return { remoteId: receipt.remoteId, size: item.size };
  } catch (error) {
    return { status: 'failed', reason: describeFailure(error) };
  } finally {
    await session?.close().catch(() => undefined);
  }
}
