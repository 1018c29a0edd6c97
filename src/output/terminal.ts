// Whether a stream gets colour: FORCE_COLOR wins (0/false turns it off), then NO_COLOR, then "is it a TTY".
import { Chalk, type ChalkInstance } from 'chalk';

export interface StreamInfo {
  isTTY?: boolean | undefined;
}

export function colorEnabled(stream: StreamInfo, env: NodeJS.ProcessEnv): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return !['0', 'false', 'no'].includes(force.toLowerCase());
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

/** A chalk instance that colours only when `enabled` (chalk's own detection looks at stdout only). */
export function paletteFor(enabled: boolean): ChalkInstance {
  return new Chalk({ level: enabled ? 1 : 0 });
}
