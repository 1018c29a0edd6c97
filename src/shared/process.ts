// Whether a process of this host still runs: the basis of every "is this leftover mine to clean?" test.
import { hostname } from 'node:os';

export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it is only not ours to signal.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

let host: string | undefined;
/** This machine's name, asked once per process (it names every temporary file and claim). */
export function thisHost(): string {
  host ??= hostname();
  return host;
}
