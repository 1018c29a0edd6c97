// ordo rename <file...>: apply the naming plan of --scenario/--profile (or --format) to local files.
import { ExitCode, UsageError } from '../shared/errors.js';
import { renameFiles } from '../core/rename.js';
import type { CommandContext } from './context.js';

export async function run(ctx: CommandContext, input: { files: string[]; format: string | undefined }): Promise<number> {
  const { scenarios, profiles, dryRun } = ctx.options;
  if (scenarios.length > 1 || profiles.length > 1) throw new UsageError('cli.rename.oneOnly', {}, 'cli.rename.oneOnly.fix');
  const config = await ctx.loadConfig('local');
  const result = await renameFiles(config, input.files, { scenario: scenarios[0], profile: profiles[0], format: input.format, dryRun });
  const exitCode = result.files.some((f) => f.status === 'error') ? ExitCode.partial : ExitCode.ok;
  ctx.out.rename(result, dryRun, exitCode);
  return exitCode;
}
