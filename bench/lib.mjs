// What the benchmarks share: timing a command as its own process with its peak memory, running every
// case with every tool in turn, medians, test data, and the checks that a tool really did its work.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const MiB = 1024 * 1024;
export const ordoBin = fileURLToPath(new URL('../bin/ordo.js', import.meta.url));

/**
 * A protocol's module as ordo's CLI loads it: its file of the bundle (`checkout`/dist/bundle, found through
 * inputs.json), or tsc's output where there is no bundle. Loading dist/'s modules one by one costs 50–120 ms
 * more, which the CLI never pays and a protocol runner's time would carry.
 */
export async function importProtocol(checkout, name) {
  const module = `dist/protocols/${name}/protocol.js`;
  const inputsFile = join(checkout, 'dist', 'bundle', 'inputs.json');
  if (existsSync(inputsFile)) {
    const inputs = JSON.parse(readFileSync(inputsFile, 'utf8'));
    const file = Object.keys(inputs).find((output) => output.startsWith('chunks/protocol-') && inputs[output].includes(module));
    if (file !== undefined) return import(pathToFileURL(join(checkout, 'dist', 'bundle', file)).href);
  }
  return import(pathToFileURL(join(checkout, module)).href);
}

/** Runs a command to its end; wall time and peak resident memory (VmHWM, sampled from /proc) of the process. */
export function measure(command, args, options) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { cwd: options.cwd, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    let peakRss = 0;
    child.stderr.on('data', (data) => (stderr += data));
    const sample = () => {
      try {
        const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (match) peakRss = Math.max(peakRss, Number(match[1]) * 1024);
      } catch {
        // The process has just ended.
      }
    };
    const timer = setInterval(sample, 10);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearInterval(timer);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      resolve({ code, seconds, peakRss, stderr });
    });
  });
}

/**
 * `ordo` as users run it, in a site of its own under `work` (its `ordo.config.json` is `config`, its
 * `out/` folder filled by `prepare`); `verify` checks what the run left in the site. `bin` is the
 * `bin/ordo.js` to run (this checkout's by default).
 */
export async function measureCli(work, config, args, prepare, verify, bin = ordoBin) {
  const site = mkdtempSync(join(work, 'site-'));
  mkdirSync(join(site, 'out'));
  writeFileSync(join(site, 'ordo.config.json'), JSON.stringify(config));
  prepare?.(site);
  try {
    const result = await measure(process.execPath, [bin, ...args], { cwd: site });
    if (result.code === 0) verify?.(site);
    return result;
  } finally {
    rmSync(site, { recursive: true, force: true });
  }
}

/**
 * Every case, `runs` times, each tool it has in turn (so that a change in the machine's load falls on
 * all of them): reset, run, fail loudly unless the tool succeeded and `check` agrees. `after` may add to a
 * sample (the server's own timing, say). Returns the samples of each case, by tool.
 */
export async function runCases(cases, tools, runs, after) {
  const results = [];
  for (const bench of cases) {
    const samples = Object.fromEntries(tools.map((tool) => [tool, []]));
    for (let run = 1; run <= runs; run += 1) {
      for (const tool of tools) {
        if (bench[tool] === undefined) continue;
        bench.reset();
        const result = await bench[tool]();
        if (result.code !== 0) throw new Error(`${bench.name} with ${tool} failed (exit ${result.code}):\n${result.stderr}`);
        bench.check();
        const extra = after?.(bench, result) ?? '';
        samples[tool].push(result);
        process.stderr.write(`  ${bench.name}, ${tool}, run ${run}: ${result.seconds.toFixed(2)} s${extra}, peak RSS ${mib(result.peakRss)} MiB\n`);
      }
    }
    bench.reset();
    results.push({ bench, samples });
  }
  return results;
}

export function median(values) {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

export function peak(samples) {
  return Math.max(...samples.map((sample) => sample.peakRss));
}

export async function writeRandomFile(path, size) {
  const handle = await open(path, 'w');
  try {
    for (let written = 0; written < size; written += MiB) await handle.write(randomBytes(Math.min(MiB, size - written)));
  } finally {
    await handle.close();
  }
}

export function expectSize(path, size) {
  if (path === undefined) throw new Error('nothing was received');
  const actual = statSync(path).size;
  if (actual !== size) throw new Error(`${path}: ${actual} bytes instead of ${size}`);
}

export function mib(bytes) {
  return (bytes / MiB).toFixed(0);
}
