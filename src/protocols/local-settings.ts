// The `local` protocol's scenario options (`scenarios.<S>.options`), checked and resolved.
import { isAbsolute, resolve } from 'node:path';
import type { ProtocolSettingProblem } from './contract.js';

export type AfterRetrieve = { action: 'delete' } | { action: 'keep' } | { action: 'move'; folder: string };

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

/** `delete`, `keep` (any case) or `move:<folder>`. */
export function parseAfterRetrieve(value: unknown): AfterRetrieve | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  const lower = text.toLowerCase();
  if (lower === 'delete') return { action: 'delete' };
  if (lower === 'keep') return { action: 'keep' };
  if (lower.startsWith('move:')) {
    const folder = text.slice('move:'.length).trim();
    return folder === '' ? undefined : { action: 'move', folder };
  }
  return undefined;
}

/**
 * A list of strings, or one string with `;` (or `,` outside braces) between patterns — INI
 * hands protocol options over as written.
 */
export function filterPatterns(value: unknown): string[] | undefined {
  const items = typeof value === 'string' ? splitPatternList(value) : value;
  if (!Array.isArray(items) || !items.every((item): item is string => typeof item === 'string')) return undefined;
  const patterns = items.map((item) => item.trim()).filter((item) => item !== '');
  return patterns.length === 0 ? undefined : patterns;
}

function splitPatternList(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of text) {
    if (char === '{') depth += 1;
    if (char === '}') depth = Math.max(0, depth - 1);
    if (char === ';' || (char === ',' && depth === 0)) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts;
}

/** The inbox is listed one level deep: a pattern with a folder in it could only reach elsewhere. */
function isPathPattern(pattern: string): boolean {
  return pattern.includes('/') || (process.platform === 'win32' && pattern.includes('\\'));
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
