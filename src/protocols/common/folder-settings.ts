// Folder options shared by the protocols that send into and retrieve from folders (`local`, `tedeco`): checked and resolved.
import { isAbsolute, resolve } from 'node:path';
import type { ProtocolSettingProblem } from '../contract.js';
import { filterPatterns, isPathPattern, parseAfterRetrieve, type AfterRetrieve } from './retrieval-options.js';

export type { AfterRetrieve } from './retrieval-options.js';

export interface LocalSettings {
  /** Absolute folder to send into, when the scenario sends. */
  target: string | undefined;
  /** Absolute folder to retrieve from, when the scenario retrieves. */
  inbox: string | undefined;
  afterRetrieve: AfterRetrieve;
  /** Name patterns for `list` (never paths). */
  filter: string[];
}

const MATCH_ALL = ['*'];

export function localOptionProblems(options: Record<string, unknown>): ProtocolSettingProblem[] {
  const problems: ProtocolSettingProblem[] = [];
  for (const key of ['target', 'inbox'] as const) {
    const value = options[key];
    if (value !== undefined && !isNonEmptyString(value)) {
      problems.push({ where: 'options', key, messageKey: 'protocol.local.option.notPath', params: { key } });
    }
  }
  const after = options.afterRetrieve;
  if (after !== undefined && parseAfterRetrieve(after) === undefined) {
    problems.push({
      where: 'options',
      key: 'afterRetrieve',
      messageKey: 'protocol.local.option.afterRetrieve',
      params: { value: typeof after === 'string' ? after : JSON.stringify(after) },
    });
  }
  const filter = options.filter;
  if (filter !== undefined) {
    const patterns = filterPatterns(filter);
    if (patterns === undefined) {
      problems.push({ where: 'options', key: 'filter', messageKey: 'protocol.local.option.filter' });
    } else {
      for (const pattern of patterns.filter(isPathPattern)) {
        problems.push({ where: 'options', key: 'filter', messageKey: 'protocol.local.option.filterPath', params: { pattern } });
      }
    }
  }
  return problems;
}

/** Call only once `localOptionProblems` found nothing. */
export function resolveLocalSettings(options: Record<string, unknown>, configDir: string): LocalSettings {
  const after = parseAfterRetrieve(options.afterRetrieve ?? 'delete') ?? { action: 'delete' };
  return {
    target: resolveFolder(options.target, configDir),
    inbox: resolveFolder(options.inbox, configDir),
    afterRetrieve: after.action === 'move' ? { action: 'move', folder: resolveAgainst(after.folder, configDir) } : after,
    filter: filterPatterns(options.filter ?? MATCH_ALL) ?? MATCH_ALL,
  };
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

function resolveFolder(value: unknown, configDir: string): string | undefined {
  return isNonEmptyString(value) ? resolveAgainst(value.trim(), configDir) : undefined;
}

function resolveAgainst(path: string, configDir: string): string {
  return isAbsolute(path) ? resolve(path) : resolve(configDir, path);
}

export function samePath(a: string, b: string): boolean {
  return process.platform === 'win32' ? a.toLowerCase() === b.toLowerCase() : a === b;
}
