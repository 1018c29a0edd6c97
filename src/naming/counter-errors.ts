// Counters that cannot be read or written are configuration problems: the user must fix the file.
import { ExitCode, OrdoError } from '../shared/errors.js';
import type { Params } from '../i18n/index.js';

export function counterError(key: string, params: Params): OrdoError {
  return new OrdoError(key, params, ExitCode.config, { fix: `${key}.fix` });
}
