// The run's transcript: `logs/last.log` holds the last run, `logs/AAAAMMJJ.log` every run of the day
// (as the historical scheduler kept them). Every line is translated and masked before it is written.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { t, type Params } from '../i18n/index.js';
import { redact } from './redact.js';
import { spoolPaths } from './paths.js';
import type { LogLevel, RunLogger } from './context.js';

const LEVEL_LABEL: Record<LogLevel, string> = { debug: 'DEBUG', info: 'INFO ', warn: 'WARN ', error: 'ERROR' };

export interface RunLogFile extends RunLogger {
  close(): void;
}

export function openRunLog(options: {
  root: string;
  /** false for --dry-run: nothing is written on disk. */
  write: boolean;
  now: () => Date;
  onLine: (level: LogLevel, message: string) => void;
}): RunLogFile {
  const paths = spoolPaths({ root: options.root });
  const fds: number[] = [];
  if (options.write) {
    mkdirSync(paths.logs, { recursive: true });
    fds.push(openSync(paths.lastLog, 'w'), openSync(paths.dayLog(options.now()), 'a'));
  }
  const write = (level: LogLevel, message: string) => {
    const clean = redact(message);
    const stamp = formatStamp(options.now());
    const lines = clean.split(/\r?\n/).map((line) => `${stamp} ${LEVEL_LABEL[level]} ${line}\n`).join('');
    for (const fd of fds) writeSync(fd, lines);
    options.onLine(level, clean);
  };
  const log = (level: LogLevel, key: string, params: Params = {}) => write(level, t(key, params));
  return {
    log,
    debug: (key, params) => log('debug', key, params),
    info: (key, params) => log('info', key, params),
    warn: (key, params) => log('warn', key, params),
    error: (key, params) => log('error', key, params),
    raw: write,
    close() {
      for (const fd of fds.splice(0)) closeSync(fd);
    },
  };
}

function formatStamp(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}
