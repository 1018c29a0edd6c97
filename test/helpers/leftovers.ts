// Leftovers as a killed run of this host leaves them: a process that has ended, and temporary names
// written by it.
import { spawnSync } from 'node:child_process';
import { temporaryName } from '../../src/shared/temp-names.js';

/** The pid of a process of this host that has ended. */
export function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid;
}

/** `temporaryName(name)` as process `pid` of this host writes it. */
export function ownTemporary(name: string, pid: number): string {
  return temporaryName(name).replace(`-${process.pid}-`, `-${pid}-`);
}
