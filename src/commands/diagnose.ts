// ordo diagnose [scenario...] [--report <file>] [--write-probe]: every check, exit 6 if one fails.
// A configuration that does not load is reported as failing checks too, so that the report is still
// written for the support ticket.
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { OrdoConfig } from '../config/model.js';
import { effectiveConfig } from '../config/show.js';
import { configFailure, diagnose } from '../core/diagnose.js';
import { ConfigError } from '../core/errors.js';
import { tailLastLog } from '../core/logs.js';
import type { DiagnoseResult } from '../core/results.js';
import { renderReport } from '../output/report.js';
import type { CommandContext } from './context.js';

const REPORT_LOG_LINES = 200;

export async function run(ctx: CommandContext, input: { report: string | undefined; writeProbe: boolean }): Promise<number> {
  let config: OrdoConfig | undefined;
  let result: DiagnoseResult;
  try {
    config = await ctx.loadConfig();
    result = await diagnose(config, { scenarios: ctx.options.scenarios, profiles: ctx.options.profiles, writeProbe: input.writeProbe });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    result = configFailure(error);
  }
  if (input.report !== undefined) {
    const file = resolve(ctx.io.cwd, input.report);
    await writeFile(file, await report(ctx, config, result));
    result = { ...result, reportFile: file };
  }
  ctx.out.diagnose(result);
  return result.exitCode;
}

async function report(ctx: CommandContext, config: OrdoConfig | undefined, result: DiagnoseResult): Promise<string> {
  return renderReport({
    version: ctx.version,
    date: new Date(),
    commandLine: ['ordo', ...process.argv.slice(2)].join(' '),
    result,
    configFile: config?.file,
    effective: config === undefined ? undefined : effectiveConfig(config),
    lastLog: config === undefined ? undefined : await tailLastLog(config, REPORT_LOG_LINES),
    lastLogLines: REPORT_LOG_LINES,
  });
}
