// diagnose: which ordo runs where — version, host, account, and whether it was started by hand or by a
// scheduler (best effort: on Linux the parent processes' names and systemd's INVOCATION_ID; a terminal
// on stdin means by hand; elsewhere ordo says it cannot tell).
import { readFile } from 'node:fs/promises';
import { hostname, userInfo } from 'node:os';
import { t } from '../i18n/index.js';
import { buildInfo } from '../shared/build-info.js';
import { check } from './diagnose-check.js';
import type { DiagnoseCheck, DiagnoseEnvironment } from './results.js';

/** Names of the processes that start programs on a schedule. */
const SCHEDULERS = new Set(['cron', 'crond', 'anacron', 'atd', 'fcron', 'systemd', 'taskeng.exe', 'taskhostw.exe', 'svchost.exe']);
/** Processes between a scheduler and ordo (cron runs `sh -c`, npm's launcher runs node). */
const RELAYS = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh', 'node', 'npm', 'npx', 'env', 'timeout', 'flock', 'nice', 'ionice', 'sudo', 'su', 'run-parts']);

export interface ProcessFacts {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  stdinIsTty: boolean;
  ppid: number;
  /** The name of process `pid` and its parent's pid (Linux: /proc), undefined when unknown. */
  parentOf(pid: number): Promise<{ name: string; ppid: number } | undefined>;
}

export async function environment(version: string, facts: ProcessFacts = thisProcess()): Promise<DiagnoseEnvironment> {
  const build = buildInfo();
  return {
    version,
    node: build.node,
    executable: build.executable,
    ...(build.commit === undefined ? {} : { commit: build.commit }),
    host: safe(() => hostname()),
    user: accountName(facts.env),
    system: `${process.platform} ${process.arch}`,
    startedBy: await startedBy(facts),
  };
}

export function environmentCheck(env: DiagnoseEnvironment): DiagnoseCheck {
  const how = env.startedBy.how === 'scheduler' ? t('diagnose.env.scheduler', { name: env.startedBy.name ?? '?' }) : t(`diagnose.env.${env.startedBy.how}`);
  const { executable, commit, ...shown } = env;
  const build = executable ? t('diagnose.env.executable', { commit: commit ?? '?' }) : '';
  return check('environment', 'ok', t('diagnose.env', { ...shown, startedBy: how }) + build);
}

/** By hand (a terminal), by a scheduler (named), or unknown. */
export async function startedBy(facts: ProcessFacts): Promise<DiagnoseEnvironment['startedBy']> {
  if (facts.env.INVOCATION_ID !== undefined && facts.env.INVOCATION_ID !== '') return { how: 'scheduler', name: 'systemd' };
  if (facts.stdinIsTty) return { how: 'byHand' };
  // Windows: the Task Scheduler leaves no cheap trace in the process tree.
  if (facts.platform !== 'linux') return { how: 'unknown' };
  let pid = facts.ppid;
  for (let depth = 0; depth < 6 && pid > 1; depth++) {
    const parent = await facts.parentOf(pid).catch(() => undefined);
    if (parent === undefined) break;
    const name = parent.name.toLowerCase();
    if (SCHEDULERS.has(name)) return { how: 'scheduler', name: parent.name };
    if (!RELAYS.has(name)) break;
    pid = parent.ppid;
  }
  return { how: 'unknown' };
}

function thisProcess(): ProcessFacts {
  return {
    platform: process.platform,
    env: process.env,
    // Typed boolean, but undefined when stdin is no terminal (a pipe, /dev/null).
    stdinIsTty: (process.stdin as { isTTY?: boolean }).isTTY === true,
    ppid: process.ppid,
    parentOf: async (pid) => {
      const name = (await readFile(`/proc/${pid}/comm`, 'utf8')).trim();
      const status = await readFile(`/proc/${pid}/status`, 'utf8');
      const ppid = Number(/^PPid:\s*(\d+)/m.exec(status)?.[1] ?? 0);
      return { name, ppid };
    },
  };
}

function accountName(env: NodeJS.ProcessEnv): string {
  return safe(() => userInfo().username, env.USER ?? env.USERNAME);
}

function safe(read: () => string, fallback = '?'): string {
  try {
    return read();
  } catch {
    return fallback;
  }
}
