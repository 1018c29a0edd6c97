// `ordo diagnose`: everything support needs to know about a site that "doesn't send anymore", as a
// list of checks (✔/⚠/✖), each with its reason and, for what fails, the fix.
import { MAX_PROBLEMS_SHOWN } from '../config/limits.js';
import type { OrdoConfig } from '../config/model.js';
import { t } from '../i18n/index.js';
import { check } from './diagnose-check.js';
import { diskCheck } from './diagnose-disk.js';
import { rootCheck, scenarioFolderChecks, spoolChecks } from './diagnose-folders.js';
import { fetchFailedChecks, interruptedChecks, lastTransferChecks, pendingChecks } from './diagnose-journal.js';
import { lockChecks } from './diagnose-locks.js';
import { environment, environmentCheck } from './diagnose-environment.js';
import { failedChecks } from './diagnose-failed.js';
import { shareChecks } from './diagnose-shares.js';
import { listFailedItems } from './failed-items.js';
import { protocolChecks } from './diagnose-protocols.js';
import { settleChecks } from './diagnose-settle.js';
import { ExitCode, type ConfigError, type ConfigProblem } from '../shared/errors.js';
import { diagnoseJournal, diagnosePendings } from './journal-index-recent.js';
import type { DiagnoseCheck, DiagnoseResult } from './results.js';
import { selectScenarios } from './select.js';

export interface DiagnoseOptions {
  scenarios: string[];
  profiles?: string[];
  /** Let protocols prove write access by creating and deleting a file at the partner's side. */
  writeProbe: boolean;
  /** This ordo's version, for the environment check. */
  version: string;
  now?: Date;
}

export async function diagnose(config: OrdoConfig, options: DiagnoseOptions): Promise<DiagnoseResult> {
  const now = options.now ?? new Date();
  const scenarios = selectScenarios(config, { scenarios: options.scenarios, profiles: options.profiles ?? [] });
  const env = await environment(options.version);
  const checks: DiagnoseCheck[] = [environmentCheck(env), configCheck(config), ...settleChecks(scenarios)];
  checks.push(await rootCheck(config), ...(await spoolChecks(config)), await diskCheck(config));
  checks.push(...(await shareChecks(config, scenarios)));
  for (const scenario of scenarios) checks.push(...(await scenarioFolderChecks(config, scenario)));
  checks.push(...(await lockChecks(config)));
  const journal = await diagnoseJournal(config.root, scenarios.map((s) => s.name)).catch((error: unknown) => {
    checks.push(check('journal', 'fail', t('diagnose.journal.unreadable', { reason: String((error as { message?: unknown }).message ?? error) }), { fix: t('diagnose.journal.unreadable.fix') }));
    return [];
  });
  checks.push(...(await interruptedChecks(journal, scenarios, now, config.root)));
  const failed = await listFailedItems(config, scenarios.map((s) => s.name));
  checks.push(...failedChecks(failed, now));
  checks.push(...fetchFailedChecks(journal, scenarios, now));
  const pendings = await diagnosePendings(config.root, scenarios.map((s) => s.name), journal).catch(() => new Map());
  checks.push(...pendingChecks(pendings, scenarios, now));
  checks.push(...lastTransferChecks(journal, scenarios, now));
  checks.push(...(await protocolChecks(config, scenarios, { writeProbe: options.writeProbe })));
  return { ...withExitCode(checks), environment: env, failed };
}

/** A configuration that does not load is itself the diagnosis: one ✖ per problem. */
export function configFailure(error: ConfigError): DiagnoseResult {
  const checks = error.problems.slice(0, MAX_PROBLEMS_SHOWN).map((problem) =>
    check('config', 'fail', t('diagnose.config.problem', { where: placeOf(problem), message: problem.message }), {
      fix: problem.fix ?? t('diagnose.config.problem.fix'),
      ...(problem.example === undefined ? {} : { example: problem.example }),
    }),
  );
  const more = error.problems.length - MAX_PROBLEMS_SHOWN;
  if (more > 0) checks.push(check('config', 'fail', t('output.config.more', { count: more }), { fix: t('diagnose.config.problem.fix') }));
  if (checks.length === 0) checks.push(check('config', 'fail', error.describe(), { fix: t('diagnose.config.problem.fix') }));
  return withExitCode(checks);
}

/** `file:line:column key`, as `config check` names a problem's place. */
function placeOf(problem: ConfigProblem): string {
  const line = problem.line === undefined ? '' : `:${problem.line}${problem.column === undefined ? '' : `:${problem.column}`}`;
  return `${problem.file}${line}${problem.key === '' ? '' : ` ${problem.key}`}`;
}

function configCheck(config: OrdoConfig): DiagnoseCheck {
  const params = { file: config.file, profiles: Object.keys(config.profiles).length, scenarios: Object.keys(config.scenarios).length };
  return check('config', 'ok', t('diagnose.config.ok', params));
}

function withExitCode(checks: DiagnoseCheck[]): DiagnoseResult {
  return { checks, exitCode: checks.some((c) => c.status === 'fail') ? ExitCode.diagnoseFailed : ExitCode.ok };
}
