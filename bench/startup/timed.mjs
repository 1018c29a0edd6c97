// A command timed by GNU time (`/usr/bin/time`): the CPU time (user + system) it used, which a machine
// shared with other work inflates much less than the wall time, and its peak resident memory. The wall time
// is this script's clock around the process (GNU time's counts in hundredths of a second: too coarse for a
// start of 30 ms); it includes GNU time's own start, ~1 ms, the same for every tool.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

export function measureCpu(command, args, options) {
  const dir = mkdtempSync(join(tmpdir(), 'ordo-bench-time-'));
  const report = join(dir, 'time');
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('/usr/bin/time', ['-o', report, '-f', '%U %S %M', command, ...args], {
      cwd: options.cwd,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stderr = '';
    child.stderr.on('data', (data) => (stderr += data));
    child.once('error', reject);
    child.once('exit', (code) => {
      const seconds = (performance.now() - started) / 1000;
      try {
        const [user, system, kib] = readFileSync(report, 'utf8').trim().split('\n').at(-1).split(' ').map(Number);
        resolve({ code, seconds, cpu: user + system, peakRss: kib * 1024, stderr });
      } catch (error) {
        reject(error);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}

/**
 * Runs each tool (`label → [command, args]`) in turn, `runs` times, in `cwd`; a tool that fails stops it.
 * Returns the samples of each tool and the load average after each turn; prints each turn on stderr.
 */
export async function timeInTurns(tools, runs, cwd) {
  const samples = Object.fromEntries(Object.keys(tools).map((tool) => [tool, []]));
  const loads = [];
  for (let run = 1; run <= runs; run += 1) {
    for (const [tool, [command, args]] of Object.entries(tools)) {
      const result = await measureCpu(command, args, { cwd });
      if (result.code !== 0) throw new Error(`${tool} failed (exit ${result.code}):\n${result.stderr}`);
      samples[tool].push(result);
    }
    loads.push(loadavg()[0]);
    process.stderr.write(`  run ${run}: ${Object.entries(samples).map(([tool, list]) => `${tool} ${(list.at(-1).seconds * 1000).toFixed(0)} ms`).join(', ')}; load ${loads.at(-1).toFixed(2)}\n`);
  }
  return { samples, loads };
}
