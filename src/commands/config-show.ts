// ordo config show: the effective configuration, every secret masked.
import { effectiveConfig } from '../config/show.js';
import type { CommandContext } from './context.js';

export async function run(ctx: CommandContext, _input: Record<string, never>): Promise<number> {
  const config = await ctx.loadConfig('local');
  ctx.out.configShow(effectiveConfig(config));
  return 0;
}
