// ordo logs purge --older-than <duration>: remove day logs older than that (never last.log).
import { purgeLogs } from '../core/logs.js';
import type { CommandContext } from './context.js';
import { durationOption } from './duration-option.js';

export async function run(ctx: CommandContext, input: { olderThan: string }): Promise<number> {
  const olderThanMs = durationOption('--older-than', input.olderThan);
  const config = await ctx.loadConfig('local');
  const result = await purgeLogs(config, { olderThanMs, dryRun: ctx.options.dryRun, now: new Date() });
  ctx.out.purge(result, input.olderThan);
  return result.exitCode;
}
