// Building the configuration tree from INI's flat `a.b.c=value` keys.
import { isPlainObject } from './schema.js';

export type Placement = 'placed' | 'duplicate' | 'conflict';

const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'prototype', 'constructor']);

/** `backup.dir` → `['backup', 'dir']`; undefined when a part is empty or unsafe. */
export function splitDottedKey(key: string): string[] | undefined {
  const segments = key.split('.').map((s) => s.trim());
  return segments.some((s) => s === '' || FORBIDDEN_SEGMENTS.has(s)) ? undefined : segments;
}

/** Put `value` at `segments` under `tree`; a key given twice, or both as a value and a group, is refused. */
export function placeValue(tree: Record<string, unknown>, segments: readonly string[], value: unknown): Placement {
  let node = tree;
  for (const segment of segments.slice(0, -1)) {
    const next = node[segment];
    if (next === undefined) {
      const child: Record<string, unknown> = {};
      node[segment] = child;
      node = child;
    } else if (isPlainObject(next)) {
      node = next;
    } else {
      return 'conflict';
    }
  }
  const last = segments[segments.length - 1] ?? '';
  if (node[last] === undefined) {
    node[last] = value;
    return 'placed';
  }
  return isPlainObject(node[last]) || isPlainObject(value) ? 'conflict' : 'duplicate';
}

/** The group at `segments`, created if needed; undefined when a value already sits there. */
export function groupAt(tree: Record<string, unknown>, segments: readonly string[]): Record<string, unknown> | undefined {
  let node = tree;
  for (const segment of segments) {
    const next = node[segment];
    if (next === undefined) {
      const child: Record<string, unknown> = {};
      node[segment] = child;
      node = child;
    } else if (isPlainObject(next)) {
      node = next;
    } else {
      return undefined;
    }
  }
  return node;
}
