// ordo scan [scenario...]: the files ready to send, per enabled scenario.
import { scan } from '../core/scan.js';
import type { CommandContext } from './context.js';

export async function run(ctx: CommandContext, _input: Record<string, never>): Promise<number> {
  const config = await ctx.loadConfig();
  // A scan changes nothing: opened as a dry run so that it does not replace last.log.
  const result = await ctx.withEngine(config, 'scan', { dryRun: true }, (engine) => scan(engine, ctx.selection()));
  ctx.out.scan(result);
  return result.exitCode;
}
