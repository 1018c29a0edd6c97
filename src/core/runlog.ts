// The run's transcript: `logs/last.log` holds the last run, `logs/AAAAMMJJ.log` every run of the day
// (as the historical scheduler kept them). Every line is translated and masked before it is written.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { escapeControls, t, type Params } from '../i18n/index.js';
import { redact } from '../shared/redact.js';
import { spoolPaths } from '../shared/paths.js';
import type { LogLevel, RunLogger } from './context.js';
import { localStamp } from '../shared/local-time.js';
import { lineEnd } from '../shared/notepad-text.js';

const END = lineEnd();
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
  // A message's own line breaks (a template's) start new stamped lines; outside values reach here
  // already escaped by t(), and what is left of any control character is escaped line by line, so
  // that nothing but ordo can start a line of the log.
  const write = (level: LogLevel, message: string) => {
    const parts = redact(message).split(/\r?\n/).map(escapeControls);
    const stamp = localStamp(options.now());
    const lines = parts.map((line) => `${stamp} ${LEVEL_LABEL[level]} ${line}${END}`).join('');
    for (const fd of fds) writeSync(fd, lines);
    options.onLine(level, parts.join('\n'));
  };
  const log = (level: LogLevel, key: string, params: Params = {}) => write(level, t(key, params));
  return {
    log,
    debug: (key, params) => log('debug', key, params),
    info: (key, params) => log('info', key, params),
    warn: (key, params) => log('warn', key, params),
    error: (key, params) => log('error', key, params),
    // Text from outside ordo (a hook's output): one line of the log whatever it holds.
    raw: (level, message) => write(level, escapeControls(redact(message))),
    close() {
      for (const fd of fds.splice(0)) closeSync(fd);
    },
  };
}
