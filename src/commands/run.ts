// ordo run [scenario...]: one cycle — recover interrupted work, scan, send, retrieve.
import { runCycle } from '../core/cycle.js';
import type { CommandContext } from './context.js';

export async function run(ctx: CommandContext, _input: Record<string, never>): Promise<number> {
  const config = await ctx.loadConfig();
  const result = await ctx.withEngine(config, 'run', {}, (engine) => runCycle(engine, ctx.selection()));
  ctx.out.cycle(result);
  return result.exitCode;
}
