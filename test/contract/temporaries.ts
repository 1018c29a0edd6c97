// Temporary names as another process of this host would have written them, for the leftover tests.
import { spawn } from 'node:child_process';
import { temporaryName } from '../../src/protocols/temp-names.js';

/** The pid of a process of this host that has ended. */
export async function deadProcessId(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  const pid = child.pid!;
  await new Promise((resolve) => child.on('exit', resolve));
  return pid;
}

/** `temporaryName(name)` as process `pid` of this host writes it. */
export function ownTemporary(name: string, pid: number): string {
  return temporaryName(name).replace(`-${process.pid}-`, `-${pid}-`);
}
