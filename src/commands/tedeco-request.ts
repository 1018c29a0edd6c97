// ordo tedeco-request <file> --scenario <name>: write the pair fiNNNN + rqNNNN for one file into the
// agent's spool, through the same pipeline as `ordo send --scenario <name> <file>`.
import { resolve } from 'node:path';
import { UsageError } from '../shared/errors.js';
import { tedecoRequest } from '../core/tedeco-request.js';
// Its usage error is a tedeco message, raised before the configuration (which loads the registry) is.
import '../protocols/registry.js';
import type { CommandContext } from './context.js';

export async function run(ctx: CommandContext, input: { file: string }): Promise<number> {
  const [scenario, ...others] = ctx.options.scenarios;
  if (scenario === undefined || others.length > 0) throw new UsageError('protocol.tedeco.request.needsScenario');
  const file = resolve(ctx.io.cwd, input.file);
  const config = await ctx.loadConfig();
  const result = await ctx.withEngine(config, 'tedeco-request', {}, (engine) => tedecoRequest(engine, { scenario, file }));
  ctx.out.cycle(result);
  return result.exitCode;
}
