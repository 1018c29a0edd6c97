// Any error thrown out of a command, described once for both renderers (human text and --json).
import { CommanderError } from 'commander';
import { t } from '../i18n/index.js';
import { ConfigError, LockHeldError, OrdoError, type ConfigProblem, type ExitCodeValue } from '../shared/errors.js';
import { isTransferError } from '../protocols/contract.js';
import { redact } from '../shared/redact.js';
import { isAbort } from '../shared/abort.js';
import { exitCodeFor, isSystemError } from './exit.js';
import { translateUsage } from './usage.js';

export type ErrorType = 'usage' | 'config' | 'connection' | 'locked' | 'interrupted' | 'failed' | 'internal';

export interface ErrorDescription {
  type: ErrorType;
  code: ExitCodeValue;
  message: string;
  fix?: string;
  problems?: ConfigProblem[];
  lock?: { path: string; pid: number; host: string; since: string; command?: string };
  /** Internal errors only, and only with --verbose. */
  stack?: string;
}

export interface DescribeOptions {
  verbose: boolean;
  /** For usage errors: "run `ordo scan --help`…". */
  usageHint?: string | undefined;
}

export function describeError(error: unknown, options: DescribeOptions): ErrorDescription {
  const code = exitCodeFor(error);
  if (error instanceof CommanderError) {
    return { type: 'usage', code, ...translateUsage(error, options.usageHint) };
  }
  if (error instanceof ConfigError) {
    return { type: 'config', code, message: t('output.config.invalid', { count: error.problems.length }), problems: error.problems };
  }
  if (error instanceof LockHeldError) {
    return { type: 'locked', code, ...messageAndFix(error), lock: { path: error.lock, ...error.owner } };
  }
  if (error instanceof OrdoError) return { type: typeOf(code), code, ...messageAndFix(error) };
  if (isTransferError(error)) {
    const text = t(error.key, error.params);
    const message = error.serverMessage ? `${text} (${error.serverMessage})` : text;
    return { type: error.connection ? 'connection' : 'failed', code, message };
  }
  if (isAbort(error)) return { type: 'interrupted', code, message: t('output.interrupted') };
  if (isSystemError(error)) {
    return { type: 'failed', code, message: t('output.error.system', { message: error.message }), fix: t('output.error.system.fix') };
  }
  const message = error instanceof Error ? error.message : String(error);
  const stack = options.verbose && error instanceof Error && error.stack ? { stack: error.stack } : {};
  return { type: 'internal', code, message: t('output.error.internal', { message }), fix: t('output.error.internal.fix'), ...stack };
}

function messageAndFix(error: OrdoError): { message: string; fix?: string } {
  const fix = error.fix();
  return fix === undefined ? { message: error.describe() } : { message: error.describe(), fix };
}

function typeOf(code: ExitCodeValue): ErrorType {
  switch (code) {
    case 2: return 'usage';
    case 3: return 'config';
    case 4: return 'connection';
    case 5: return 'locked';
    case 130: return 'interrupted';
    default: return 'failed';
  }
}

/** Every string of a description, masked (it goes to the screen or into a JSON document). */
export function redactDescription(description: ErrorDescription): ErrorDescription {
  const out: ErrorDescription = { ...description, message: redact(description.message) };
  if (description.fix !== undefined) out.fix = redact(description.fix);
  if (description.stack !== undefined) out.stack = redact(description.stack);
  if (description.problems !== undefined) {
    out.problems = description.problems.map((p) => ({
      ...p,
      message: redact(p.message),
      ...(p.fix === undefined ? {} : { fix: redact(p.fix) }),
    }));
  }
  return out;
}
