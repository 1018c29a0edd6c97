// Runs the command chosen on the command line: one reporter, one context, and every failure turned
// into its rendering and exit code.
import { Reporter } from '../output/reporter.js';
import { CommandContext } from './context.js';
import type { EarlyFlags, GlobalOptions } from './options.js';

/** A parsed command line waiting to run: its options and how to load and start its module. */
export interface PendingCommand {
  name: string;
  options: GlobalOptions;
  version: string;
  start(ctx: CommandContext): Promise<number>;
}

export async function execute(pending: PendingCommand): Promise<number> {
  const out = reporterFor(pending.options);
  const ctx = new CommandContext(pending.options, out, { stdin: process.stdin, cwd: process.cwd(), env: process.env }, pending.version);
  try {
    return await pending.start(ctx);
  } catch (error) {
    return out.failure(error);
  } finally {
    ctx.dispose();
  }
}

/** A command line that could not even be parsed (usage error) or a program that failed to build. */
export function reportStartFailure(error: unknown, flags: EarlyFlags, usageHint: string): number {
  return reporterFor(flags).failure(error, usageHint);
}

function reporterFor(flags: { json: boolean; quiet: boolean; verbose: boolean }): Reporter {
  return new Reporter({
    json: flags.json,
    quiet: flags.quiet,
    verbose: flags.verbose,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
  });
}
