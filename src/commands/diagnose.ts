// ordo diagnose [scenario...] [--report <file>] [--write-probe]: every check, exit 6 if one fails.
// A configuration that does not load is reported as failing checks too, so that the report is still
// written for the support ticket.
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { OrdoConfig } from '../config/model.js';
import { effectiveConfig } from '../config/show.js';
import { configFailure, diagnose } from '../core/diagnose.js';
import { check } from '../core/diagnose-check.js';
import { environment, environmentCheck } from '../core/diagnose-environment.js';
import { ConfigError, ExitCode, OrdoError } from '../shared/errors.js';
import { t } from '../i18n/index.js';
import { notepadText } from '../shared/notepad-text.js';
import { tailLastLog } from '../core/logs.js';
import type { DiagnoseResult } from '../core/results.js';
import { renderReport } from '../output/report.js';
import type { CommandContext } from './context.js';

const REPORT_LOG_LINES = 200;

export async function run(
  ctx: CommandContext,
  input: { report: string | undefined; writeProbe: boolean; acceptNewHostKey?: string | undefined },
): Promise<number> {
  if (input.acceptNewHostKey !== undefined) return acceptHostKey(ctx, input.acceptNewHostKey);
  let config: OrdoConfig | undefined;
  let result: DiagnoseResult;
  try {
    config = await ctx.loadConfig();
    result = await diagnose(config, { scenarios: ctx.options.scenarios, profiles: ctx.options.profiles, writeProbe: input.writeProbe, version: ctx.version });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // Which ordo runs where matters most when nothing else can be checked.
    const env = await environment(ctx.version);
    const failure = configFailure(error);
    result = { ...failure, checks: [environmentCheck(env), ...failure.checks], environment: env };
  }
  if (input.report !== undefined) {
    const file = resolve(ctx.io.cwd, input.report);
    await writeReport(file, await report(ctx, config, result));
    result = { ...result, reportFile: file };
  }
  ctx.out.diagnose(result);
  return result.exitCode;
}

/**
 * Writes the report, creating the missing folders of its path (`--report logs/diag-$(date +%F).txt`
 * from cron on a fresh machine). When it still cannot be written, says which file or folder refuses
 * and why (exit 1), instead of a bare system error.
 */
async function writeReport(file: string, text: string): Promise<void> {
  try {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, notepadText(text));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
    const culprit = await refusingPath(file, code);
    const { message, fix } = REPORT_FAILURES[code] ?? OTHER_FAILURE;
    throw new OrdoError(message, { file, path: culprit, code }, ExitCode.partial, { fix, cause: error });
  }
}

const DENIED = { message: 'diagnose.report.denied', fix: 'diagnose.report.denied.fix' };
const NOT_FOLDER = { message: 'diagnose.report.notFolder', fix: 'diagnose.report.notFolder.fix' };
const FULL = { message: 'diagnose.report.full', fix: 'diagnose.report.full.fix' };
const OTHER_FAILURE = { message: 'diagnose.report.failed', fix: 'diagnose.report.failed.fix' };
/** Why a report could not be written, by system error code: message and fix keys. */
const REPORT_FAILURES: Record<string, { message: string; fix: string }> = {
  EACCES: DENIED,
  EPERM: DENIED,
  EROFS: { message: 'diagnose.report.readOnly', fix: 'diagnose.report.readOnly.fix' },
  ENOTDIR: NOT_FOLDER,
  EEXIST: NOT_FOLDER,
  EISDIR: { message: 'diagnose.report.isFolder', fix: 'diagnose.report.isFolder.fix' },
  ENOENT: { message: 'diagnose.report.noRoot', fix: 'diagnose.report.noRoot.fix' },
  ENOSPC: FULL,
  EDQUOT: FULL,
};

/** The path that refused: the report file itself when it exists, else the deepest existing folder of its path. */
async function refusingPath(file: string, code: string): Promise<string> {
  if (code === 'EISDIR') return file;
  const exists = async (path: string): Promise<boolean> => stat(path).then(() => true, () => false);
  if (await exists(file)) return file;
  let path = dirname(file);
  while (!(await exists(path)) && dirname(path) !== path) path = dirname(path);
  return path;
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

/** --accept-new-host-key <scenario>: the one explicit way to trust a new SFTP server (docs/protocols/sftp.md). */
async function acceptHostKey(ctx: CommandContext, scenario: string): Promise<number> {
  const { acceptNewHostKey } = await import('../core/accept-host-key.js');
  const accepted = await acceptNewHostKey(await ctx.loadConfig(), scenario);
  const params = { ...accepted };
  // A newly trusted key is worth a second look: its fingerprint should match the partner's.
  const checked =
    accepted.status === 'recorded'
      ? check('sftp.hostKey', 'warn', t('protocol.sftp.accept.recorded', params), { scope: accepted.scenario, fix: t('protocol.sftp.accept.verify', params) })
      : check('sftp.hostKey', 'ok', t('protocol.sftp.accept.alreadyTrusted', params), { scope: accepted.scenario });
  ctx.out.diagnose({ checks: [checked], exitCode: ExitCode.ok });
  return ExitCode.ok;
}
