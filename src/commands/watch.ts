// ordo watch [scenario...]: a cycle every --interval until SIGINT/SIGTERM, then stop after the file
// in progress.
import { watch } from '../core/cycle.js';
import type { CommandContext } from './context.js';
import { durationOption } from './duration-option.js';

export async function run(ctx: CommandContext, input: { interval: string | undefined }): Promise<number> {
  const given = input.interval === undefined ? undefined : durationOption('--interval', input.interval);
  const config = await ctx.loadConfig();
  const intervalMs = given ?? config.watch.intervalMs;
  let cycles = 0;
  const result = await ctx.withEngine(config, 'watch', {}, (engine) =>
    watch(engine, { selection: ctx.selection(), intervalMs }, (cycle) => {
      cycles = cycle.cycle;
      ctx.out.watchCycle(cycle);
    }),
  );
  ctx.out.watchEnd(result, cycles);
  return result.exitCode;
}
