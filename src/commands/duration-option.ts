// Durations given on the command line (`--interval 30s`, `--older-than 90d`): the configuration's
// syntax, and a usage error (exit 2) naming the option when it does not parse.
import { parseDuration } from '../shared/duration.js';
import { UsageError } from '../shared/errors.js';

export function durationOption(option: string, value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined || ms <= 0) throw new UsageError('cli.badDuration', { option, value }, 'cli.badDuration.fix');
  return ms;
}
