// ordo send [file...]: the given files (or `-`: paths from stdin) through one scenario, or what scan
// finds for the selected scenarios.
import { resolve } from 'node:path';
import { ExitCode } from '../shared/errors.js';
import type { CycleResult } from '../core/results.js';
import { send } from '../core/send.js';
import type { CommandContext } from './context.js';
import { expandFileArguments } from './stdin-paths.js';

export interface SendInput {
  files: string[];
  retrieve: boolean;
  force: boolean;
}

export async function run(ctx: CommandContext, input: SendInput): Promise<number> {
  const files = (await expandFileArguments(input.files, ctx.io.stdin)).map((file) => resolve(ctx.io.cwd, file));
  const config = await ctx.loadConfig();
  if (input.files.length > 0 && files.length === 0) {
    // `… | ordo send -` with nothing piped: nothing to send (not "everything scan finds").
    const result = emptyResult(ctx.options.dryRun);
    ctx.out.cycle(result);
    return result.exitCode;
  }
  const request = { selection: ctx.selection(), retrieveAfter: input.retrieve, ...(files.length > 0 ? { files } : {}) };
  const result = await ctx.withEngine(config, 'send', { force: input.force }, (engine) => send(engine, request));
  ctx.out.cycle(result);
  return result.exitCode;
}

function emptyResult(dryRun: boolean): CycleResult {
  const now = new Date().toISOString();
  return { command: 'send', dryRun, startedAt: now, endedAt: now, files: [], problems: [], interrupted: false, exitCode: ExitCode.ok };
}
