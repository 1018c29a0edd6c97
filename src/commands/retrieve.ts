// ordo retrieve [--list]: download what is waiting into recus/<profile>/ (or only list it).
import { retrieve } from '../core/retrieve.js';
import type { CommandContext } from './context.js';

export async function run(ctx: CommandContext, input: { list: boolean }): Promise<number> {
  const config = await ctx.loadConfig();
  const result = await ctx.withEngine(config, 'retrieve', {}, (engine) => retrieve(engine, { selection: ctx.selection(), listOnly: input.list }));
  ctx.out.cycle(result);
  return result.exitCode;
}
