// diagnose: each selected scenario's protocol checks its own side (reachability, authentication,
// folders, permissions) through the contract's `check`. A protocol that declares no `check` is skipped.
import type { OrdoConfig, ScenarioConfig } from '../config/model.js';
import { t } from '../i18n/index.js';
import { hasCapability, isTransferError, type CheckResult, type ProtocolContext } from '../protocols/contract.js';
import { loadProtocol, protocolNames } from '../protocols/registry.js';
import { check } from './diagnose-check.js';
import { protocolContext } from './protocol-session.js';
import type { DiagnoseCheck } from './results.js';

const quietLog: ProtocolContext['log'] = { debug: () => undefined, info: () => undefined, warn: () => undefined };

export async function protocolChecks(config: OrdoConfig, scenarios: ScenarioConfig[], options: { writeProbe: boolean }): Promise<DiagnoseCheck[]> {
  const checks: DiagnoseCheck[] = [];
  for (const scenario of scenarios) checks.push(...(await scenarioProtocolChecks(config, scenario, options)));
  return checks;
}

async function scenarioProtocolChecks(config: OrdoConfig, scenario: ScenarioConfig, options: { writeProbe: boolean }): Promise<DiagnoseCheck[]> {
  const scope = scenario.name;
  const definition = await loadProtocol(scenario.protocol);
  if (definition === undefined) {
    const params = { protocol: scenario.protocol, known: protocolNames().join(', ') };
    return [check('protocol', 'fail', t('diagnose.protocol.unavailable', params), { fix: t('diagnose.protocol.unavailable.fix', params), scope })];
  }
  if (!hasCapability(definition, 'check')) return [];
  const context = protocolContext(config, scenario, { log: quietLog, dryRun: false });
  let session;
  try {
    session = await definition.open(context);
  } catch (error) {
    return [failure(scenario, error)];
  }
  try {
    const results = (await session.check?.({ writeProbe: options.writeProbe })) ?? [];
    return results.map((result) => fromCheckResult(result, scope));
  } catch (error) {
    return [failure(scenario, error)];
  } finally {
    await session.close().catch(() => undefined);
  }
}

function fromCheckResult(result: CheckResult, scope: string): DiagnoseCheck {
  const fix = result.fixKey === undefined ? undefined : t(result.fixKey, result.params);
  return check(result.id, result.status, t(result.key, result.params), { fix, scope });
}

function failure(scenario: ScenarioConfig, error: unknown): DiagnoseCheck {
  const reason = isTransferError(error)
    ? t(error.key, error.params) + (error.serverMessage ? ` (${error.serverMessage})` : '')
    : error instanceof Error ? error.message : String(error);
  const params = { protocol: scenario.protocol, reason };
  return check('protocol', 'fail', t('diagnose.protocol.failed', params), { fix: t('diagnose.protocol.failed.fix', params), scope: scenario.name });
}
