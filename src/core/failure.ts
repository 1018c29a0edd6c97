// How a protocol's failure is worded for the user: its message, its fix, and the problem a session that could not open becomes.
import type { ScenarioConfig } from '../config/model.js';
import { t } from '../i18n/index.js';
import { isTransferError } from '../protocols/contract.js';
import type { EngineContext, LogLevel } from './context.js';
import type { ScenarioProblem } from './results.js';

/**
 * A problem that stops a scenario's work, logged and returned. Its message never names the scenario:
 * the human output puts the name in front of it once (`output.problem`), the log line too
 * (`engine.scenarioProblem`).
 */
export function scenarioProblem(
  ctx: EngineContext,
  scenario: string,
  message: string,
  extra: Omit<ScenarioProblem, 'scenario' | 'message'> = {},
  level: LogLevel = 'error',
): ScenarioProblem {
  ctx.log.log(level, 'engine.scenarioProblem', { scenario, reason: message });
  return { scenario, message, ...extra };
}

/** A protocol session could not be opened: logged, and a problem with the protocol's fix when it has one. */
export function sessionProblem(ctx: EngineContext, scenario: ScenarioConfig, error: unknown): ScenarioProblem {
  const reason = describeFailure(error);
  const fix = failureFix(error);
  return scenarioProblem(ctx, scenario.name, t('engine.sessionFailed', { protocol: scenario.protocol, reason }), {
    ...(fix === undefined ? {} : { fix }),
    connection: !isTransferError(error) || error.connection || error.kind === 'transient',
  });
}

/** The protocol's advice for an error, when the error carries some. */
export function failureFix(error: unknown): string | undefined {
  if (!isTransferError(error) || error.fixKey === undefined) return undefined;
  return t(error.fixKey, error.params);
}

export function describeFailure(error: unknown): string {
  if (isTransferError(error)) {
    const text = t(error.key, error.params);
    return error.serverMessage ? `${text} (${error.serverMessage})` : text;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}
