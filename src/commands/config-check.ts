// ordo config check: load and validate; every problem is reported by the failure (exit 3), the
// warnings of a valid configuration with the ✔ (exit 0).
import type { CommandContext } from './context.js';

export async function run(ctx: CommandContext, _input: Record<string, never>): Promise<number> {
  const config = await ctx.loadConfig();
  ctx.out.configValid({
    file: config.file,
    format: config.format,
    profiles: Object.keys(config.profiles).length,
    scenarios: Object.keys(config.scenarios).length,
    warnings: config.warnings ?? [],
  });
  return 0;
}
