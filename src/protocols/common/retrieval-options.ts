// Retrieval options several protocols share: the inbox's name filter and what becomes of a fetched entry.
import { accepted, customType, refused, type Complaint, type OptionType, type Say } from '../options.js';

export type AfterRetrieve = { action: 'delete' } | { action: 'keep' } | { action: 'move'; folder: string };

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
export function isPathPattern(pattern: string): boolean {
  return pattern.includes('/') || (process.platform === 'win32' && pattern.includes('\\'));
}

/** `delete`, `keep` or `move:<folder>` (the folder as written: each protocol says what it is relative to). */
export function afterRetrieveType(invalid: Say): OptionType<AfterRetrieve> {
  return customType('action', (value, context) => {
    const after = parseAfterRetrieve(value);
    return after === undefined ? refused(invalid(context.key, value)) : accepted(after);
  });
}

/** Name patterns; one complaint per pattern that holds a folder (`isFolderPattern`). */
export function filterType(messages: { invalid: Say; folderIn: (key: string, pattern: string) => Complaint }, isFolderPattern: (pattern: string) => boolean): OptionType<string[]> {
  return customType('patterns', (value, context) => {
    const patterns = filterPatterns(value);
    if (patterns === undefined) return refused(messages.invalid(context.key, value));
    const withFolder = patterns.filter(isFolderPattern);
    return withFolder.length === 0 ? accepted(patterns) : refused(...withFolder.map((pattern) => messages.folderIn(context.key, pattern)));
  });
}
