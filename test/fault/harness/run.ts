// bin/ordo as a scheduled task starts it (no TTY, no stdin, a clean environment), optionally as another
// user, with a way to kill it -9 at a chosen moment.
import { spawn, type ChildProcess } from 'node:child_process';
import { ORDO, baseEnv } from '../../helpers/cli.js';

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface RunOptions {
  cwd: string;
  env?: Record<string, string>;
  /** Run as this user and group (the tests run as root). */
  uid?: number;
  gid?: number;
  /** A command that execs the rest (same pid), e.g. setpriv with fewer capabilities. */
  wrapper?: string[];
}

export interface Started {
  child: ChildProcess;
  startedAt: number;
  done: Promise<Run>;
}

export function start(args: string[], options: RunOptions): Started {
  const startedAt = performance.now();
  const command = [...(options.wrapper ?? []), process.execPath, ORDO, ...args];
  const child = spawn(command[0]!, command.slice(1), {
    cwd: options.cwd,
    env: baseEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.uid === undefined ? {} : { uid: options.uid }),
    ...(options.gid === undefined ? {} : { gid: options.gid }),
  });
  const done = new Promise<Run>((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr, ms: performance.now() - startedAt }));
  });
  return { child, startedAt, done };
}

/** Runs to the end (two minutes at most, then killed and reported). */
export async function ordoRun(args: string[], options: RunOptions): Promise<Run> {
  const started = start(args, options);
  const timer = setTimeout(() => started.child.kill('SIGKILL'), 120_000);
  try {
    const result = await started.done;
    if (result.signal === 'SIGKILL') throw new Error(`ordo ${args.join(' ')} did not finish within 2 minutes:\n${result.stdout}\n${result.stderr}`);
    return result;
  } finally {
    clearTimeout(timer);
  }
}

// The delays of a kill plan are the thing under test, not waits for something: the campaign draws them
// (seeded) so that kills land at every moment of a run, start-up and recovery included. The times
// measured here (`ms`, `eventAtMs`) only calibrate those draws and feed the report; no test asserts on them.
export type KillPlan =
  /** SIGKILL this long after the spawn. */
  | { afterSpawnMs: number }
  /** SIGKILL this long after `event(pid)` first returns true (polled every 2 ms). */
  | { event: (pid: number) => boolean; afterEventMs: number };

/**
 * Starts `ordo args` and kills it -9 as planned. `killed` is false when the run had already ended by
 * then; `eventAtMs` is when the event was seen (ms after the spawn), if it was.
 */
export async function runAndKill(args: string[], options: RunOptions, plan: KillPlan): Promise<Run & { killed: boolean; eventAtMs?: number }> {
  const started = start(args, options);
  let exited = false as boolean; // set by the callback below: not narrowable
  void started.done.then(() => (exited = true));
  let eventAtMs: number | undefined;
  if ('event' in plan) {
    while (!exited && !plan.event(started.child.pid!)) await new Promise((resolve) => setTimeout(resolve, 2));
    if (!exited) eventAtMs = performance.now() - started.startedAt;
  }
  const delay = 'event' in plan ? plan.afterEventMs : plan.afterSpawnMs;
  if (!exited) await Promise.race([started.done, new Promise((resolve) => setTimeout(resolve, delay))]);
  let killed = false;
  if (!exited) killed = started.child.kill('SIGKILL');
  const result = await started.done;
  return { ...result, killed: killed && result.signal === 'SIGKILL', ...(eventAtMs === undefined ? {} : { eventAtMs }) };
}

/** Raw control characters (C0 but tab and line feed, DEL, C1) and bidirectional controls. */
export const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

export function describeControls(text: string): string[] {
  const found: string[] = [];
  const lines = text.split('\n');
  for (const [index, line] of lines.entries()) {
    if (RAW_CONTROL.test(line)) found.push(`line ${index + 1}: ${JSON.stringify(line)}`);
  }
  return found;
}
