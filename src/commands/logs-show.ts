// ordo logs show [--date AAAAMMJJ]: the last run's transcript, or that day's log.
import { showLog } from '../core/logs.js';
import type { CommandContext } from './context.js';

export async function run(ctx: CommandContext, input: { date: string | undefined }): Promise<number> {
  const config = await ctx.loadConfig('local');
  ctx.out.logText(await showLog(config, { date: input.date }));
  return 0;
}
