// ordo report [--days 30] [--output <file>]: one self-contained HTML page of the last days' activity,
// what waits in failed/ and the diagnose checks (--dry-run: made, not written). Exit 0 once written,
// whatever the checks say; a configuration that does not load is shown as failing checks, as diagnose does.
import { resolve } from 'node:path';
import type { OrdoConfig, ScenarioConfig } from '../config/model.js';
import { configFailure, diagnose } from '../core/diagnose.js';
import { DEFAULT_REPORT_DAYS, MAX_REPORT_DAYS, reportData } from '../core/report-data.js';
import type { DiagnoseResult } from '../core/results.js';
import { selectScenarios } from '../core/select.js';
import { renderReportHtml } from '../output/html/report-html.js';
import { ConfigError, ExitCode, UsageError } from '../shared/errors.js';
import { compactDate } from '../shared/paths.js';
import type { CommandContext } from './context.js';
import { writePage } from './write-page.js';

export async function run(ctx: CommandContext, input: { days: string | undefined; output: string | undefined }): Promise<number> {
  const days = daysOption(input.days);
  const now = new Date();
  const file = resolve(ctx.io.cwd, input.output ?? `ordo-report-${compactDate(now)}.html`);
  const { config, scenarios, checks } = await gather(ctx);
  const data = await reportData(config, scenarios, checks, { days, now });
  const html = renderReportHtml({ data, version: ctx.version });
  if (!ctx.options.dryRun) await writePage(file, html);
  ctx.out.htmlReport({ output: file, data, dryRun: ctx.options.dryRun });
  return ExitCode.ok;
}

function daysOption(value: string | undefined): number {
  if (value === undefined) return DEFAULT_REPORT_DAYS;
  const days = /^\d+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  if (!Number.isSafeInteger(days) || days < 1 || days > MAX_REPORT_DAYS) {
    throw new UsageError('cli.badDays', { value, max: MAX_REPORT_DAYS }, 'cli.badDays.fix');
  }
  return days;
}

/**
 * The configuration and the checks. When the partners' settings do not load (a secret's variable
 * unset…), the checks say why and the spool is still read with what loads without them.
 */
async function gather(ctx: CommandContext): Promise<{ config: OrdoConfig | undefined; scenarios: ScenarioConfig[]; checks: DiagnoseResult }> {
  try {
    const config = await ctx.loadConfig();
    const checks = await diagnose(config, { scenarios: ctx.options.scenarios, profiles: ctx.options.profiles, writeProbe: false, version: ctx.version });
    return { config, scenarios: selectScenarios(config, ctx.selection()), checks };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const checks = configFailure(error);
    const config = await ctx.loadConfig('local').catch(() => undefined);
    const scenarios = config === undefined ? [] : selectScenarios(config, ctx.selection());
    return { config, scenarios, checks };
  }
}
