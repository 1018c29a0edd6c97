// A command timed by GNU time (`/usr/bin/time`): wall time, and the CPU time (user + system) it used,
// which a machine shared with other work inflates much less than the wall time; peak resident memory.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function measureCpu(command, args, options) {
  const dir = mkdtempSync(join(tmpdir(), 'ordo-bench-time-'));
  const report = join(dir, 'time');
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-o', report, '-f', '%e %U %S %M', command, ...args], {
      cwd: options.cwd,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stderr = '';
    child.stderr.on('data', (data) => (stderr += data));
    child.once('error', reject);
    child.once('exit', (code) => {
      try {
        const [seconds, user, system, kib] = readFileSync(report, 'utf8').trim().split('\n').at(-1).split(' ').map(Number);
        resolve({ code, seconds, cpu: user + system, peakRss: kib * 1024, stderr });
      } catch (error) {
        reject(error);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
