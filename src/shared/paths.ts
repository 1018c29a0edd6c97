// The spool layout under the configured root (docs/engine.md, "The spool").
import { join } from 'node:path';

export interface SpoolPaths {
  root: string;
  received(profile: string): string;
  backup(scenario: { backup: { dir: string } }): string;
  queue(scenario: string): string;
  failed(scenario: string): string;
  logs: string;
  lastLog: string;
  dayLog(date: Date): string;
  journal: string;
  journalFile(date: Date): string;
  locks: string;
  lock(name: string): string;
}

export function spoolPaths(config: { root: string }): SpoolPaths {
  const root = config.root;
  const logs = join(root, 'logs');
  const journal = join(root, 'journal');
  const locks = join(root, 'locks');
  return {
    root,
    received: (profile) => join(root, 'recus', profile),
    backup: (scenario) => scenario.backup.dir,
    queue: (scenario) => join(root, 'queue', scenario),
    failed: (scenario) => join(root, 'failed', scenario),
    logs,
    lastLog: join(logs, 'last.log'),
    dayLog: (date) => join(logs, `${compactDate(date)}.log`),
    journal,
    journalFile: (date) => join(journal, `${compactDate(date).slice(0, 6)}.jsonl`),
    locks,
    lock: (name) => join(locks, `${name}.lock`),
  };
}

/** AAAAMMJJ in local time, as the historical day logs were named. */
export function compactDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}`;
}
