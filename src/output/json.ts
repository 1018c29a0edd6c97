// --json: exactly one document on stdout, every string masked.
import { redactingReplacer } from '../shared/redact.js';
import { redactDescription, type ErrorDescription } from './describe-error.js';

/**
 * JSON.stringify escapes C0 controls itself but leaves DEL, C1 controls (U+009B acts as ESC [ on some
 * terminals), the line separators and the bidi overrides as they are; written as `\uXXXX` they read
 * back as the very same strings, and the document stays safe to show.
 */
const UNESCAPED = /[\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g;

/** Rows stringified together: few calls of JSON.stringify, pieces of some 50 KiB at most. */
const ROWS_AT_ONCE = 256;

/**
 * A list written row by row, each row made (`map`) as it is written: a listing of 100 000 files is never
 * copied whole into its document form. JSON.stringify sees the mapped array.
 */
export class MappedRows<T> {
  constructor(
    readonly items: readonly T[],
    readonly map: (item: T) => unknown,
  ) {}

  toJSON(): unknown[] {
    return this.items.map(this.map);
  }
}

/** The whole document (what jsonPieces writes), as one text. */
export function jsonText(value: unknown): string {
  return [...jsonPieces(value)].join('');
}

/**
 * The document `JSON.stringify(value, redactingReplacer, 2)` gives (escaped as above, then a line end),
 * in pieces: objects key by key, arrays element by element, the rows of an array (objects of plain values)
 * a few hundred at a time. A scan of 100 000 files is 23 MB of text: written whole, it took 250 MiB of
 * memory; in pieces, no copy of the whole text is ever made.
 */
export function* jsonPieces(value: unknown): Generator<string> {
  yield* piecesOf(jsonValue('', value) ?? null, '');
  yield '\n';
}

/**
 * What JSON.stringify writes for `value` under `key`: after toJSON and the replacer; undefined when it
 * leaves it out. MappedRows stay as they are, to be mapped as they are written.
 */
function jsonValue(key: string, value: unknown): unknown {
  const own = hasToJson(value) && !(value instanceof MappedRows) ? value.toJSON(key) : value;
  const replaced = redactingReplacer(key, own);
  return replaced === undefined || typeof replaced === 'function' || typeof replaced === 'symbol' ? undefined : replaced;
}

function hasToJson(value: unknown): value is { toJSON(key: string): unknown } {
  return typeof value === 'object' && value !== null && typeof (value as { toJSON?: unknown }).toJSON === 'function';
}

/** `value` is already what jsonValue gives. */
function* piecesOf(value: unknown, indent: string): Generator<string> {
  if (value === null || typeof value !== 'object') {
    yield escaped(JSON.stringify(value));
    return;
  }
  if (value instanceof MappedRows) {
    const { items, map } = value as MappedRows<unknown>;
    yield* listPieces(items.length, (start, end) => items.slice(start, end).map(map), indent);
    return;
  }
  if (Array.isArray(value)) {
    yield* listPieces(value.length, (start, end) => value.slice(start, end), indent);
    return;
  }
  const inner = `${indent}  `;
  let first = true;
  for (const key of Object.keys(value)) {
    const item = jsonValue(key, (value as Record<string, unknown>)[key]);
    if (item === undefined) continue;
    yield `${first ? '{' : ','}\n${inner}${escaped(JSON.stringify(key))}: `;
    first = false;
    yield* piecesOf(item, inner);
  }
  yield first ? '{}' : `\n${indent}}`;
}

/** A list of `length` elements, taken ROWS_AT_ONCE at a time from `slice`. */
function* listPieces(length: number, slice: (start: number, end: number) => unknown[], indent: string): Generator<string> {
  if (length === 0) {
    yield '[]';
    return;
  }
  yield '[';
  const inner = `${indent}  `;
  for (let start = 0; start < length; start += ROWS_AT_ONCE) {
    const items = slice(start, Math.min(length, start + ROWS_AT_ONCE));
    for (let index = 0; index < items.length; ) {
      yield start + index === 0 ? '\n' : ',\n';
      const rows = rowsFrom(items, index);
      if (rows > 0) {
        // Rows (files of a scan, say) stringified together: `[\n  {…},\n  {…}\n]` without its brackets,
        // indented where the rows stand.
        const text = JSON.stringify(rows === items.length ? items : items.slice(index, index + rows), redactingReplacer, 2);
        yield escaped(indent + text.slice(2, -2).replaceAll('\n', `\n${indent}`));
        index += rows;
      } else {
        yield inner;
        yield* piecesOf(jsonValue(String(start + index), items[index]) ?? null, inner);
        index += 1;
      }
    }
  }
  yield `\n${indent}]`;
}

/** How many rows (see isRow) follow one another from `start`. */
function rowsFrom(list: unknown[], start: number): number {
  let end = start;
  while (end < list.length && isRow(list[end])) end += 1;
  return end - start;
}

/** An object whose values are all plain values (no object or array to look into): a row of a listing. */
function isRow(item: unknown): item is object {
  if (item === null || typeof item !== 'object' || Array.isArray(item) || hasToJson(item)) return false;
  return Object.values(item).every((value) => value === null || typeof value !== 'object' || hasToJson(value));
}

function escaped(text: string): string {
  return text.replace(UNESCAPED, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `{ "ok": false, "exitCode": 3, "error": { "code": 3, "type": "config", "message": …, "problems": [...] } }` */
export function errorDocument(description: ErrorDescription): { ok: false; exitCode: number; error: ErrorDescription } {
  const error = redactDescription(description);
  return { ok: false, exitCode: error.code, error };
}
