// The shape of a configuration (docs/configuration.md), common to JSON, YAML and INI. Leaves accept what a person
// writes by hand — INI has only text, so `1`/`oui`, `30s` and `a;b` are read here — and report their
// problems as catalog keys; the messages are made in ./schema-issues.ts.
import * as z from 'zod/mini';
import type { Params } from '../i18n/index.js';
import { NAMING_TOKENS, findUnknownTokens } from '../naming/tokens.js';
import { parseDuration } from '../shared/duration.js';
import { parseBoolean, parseList, parseTimeOfDay } from '../shared/values.js';

export interface LeafProblem {
  message: string;
  fix?: string;
  params?: Params;
}

type Parsed<T> = { ok: true; value: T } | { ok: false; problem: LeafProblem };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = (message: string, params: Params = {}): Parsed<never> => ({
  ok: false,
  problem: { message, fix: `${message}.fix`, params },
});

export const IF_EXISTS_VALUES = ['overwrite', 'rename', 'keep', 'fail'] as const;
export const LANG_VALUES = ['fr', 'en'] as const;
export const BOOLEAN_WORDS = '1/0, true/false, yes/no, oui/non';

/** An empty value means "not set": the default applies (INI `key=` is common). */
function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

export function displayValue(value: unknown): string {
  if (typeof value === 'string') return value;
  // JSON.stringify gives undefined for undefined, functions and symbols, whatever its declared type says.
  const json = JSON.stringify(value) as string | undefined;
  return json ?? String(value);
}

// zod/mini (not zod's classic API): what a command that runs every minute loads and builds at start.
function leaf<T>(read: (value: unknown) => Parsed<T>) {
  return z.pipe(
    z.unknown(),
    z.transform((value: unknown, payload): T => {
      const result = read(value);
      if (result.ok) return result.value;
      payload.issues.push({ code: 'custom', params: result.problem, input: value, message: '' });
      return z.NEVER;
    }),
  );
}

function optional<T>(parse: (value: unknown) => Parsed<T>) {
  return z.optional(leaf((value): Parsed<T | undefined> => (isBlank(value) ? ok(undefined) : parse(value))));
}

function required<T>(parse: (value: unknown) => Parsed<T>) {
  return leaf((value) => (isBlank(value) ? bad('config.key.required') : parse(value)));
}

function readText(value: unknown): Parsed<string> {
  if (typeof value === 'string') return ok(value);
  if (typeof value === 'number' && Number.isFinite(value)) return ok(String(value));
  return bad('config.value.text', { value: displayValue(value) });
}

/** INSEE codes have 5 characters and may start with 0: YAML reads `insee: 01001` as the number 1001. */
function readCode(value: unknown): Parsed<string> {
  if (typeof value === 'number' && Number.isInteger(value) && value < 10_000) return bad('config.value.code', { value });
  return readText(value);
}

function readBoolean(value: unknown): Parsed<boolean> {
  const parsed = parseBoolean(value);
  return parsed === undefined ? bad('config.value.boolean', { value: displayValue(value), accepted: BOOLEAN_WORDS }) : ok(parsed);
}

function readDuration(minimum: 'zero' | 'positive') {
  return (value: unknown): Parsed<number> => {
    const ms = typeof value === 'string' || typeof value === 'number' ? parseDuration(value) : undefined;
    if (ms === undefined) return bad('config.value.duration', { value: displayValue(value) });
    if (minimum === 'positive' && ms === 0) return bad('config.value.durationZero', { value: displayValue(value) });
    return ok(ms);
  };
}

function readList(value: unknown): Parsed<string[]> {
  const list = parseList(value);
  return list === undefined ? bad('config.value.list', { value: displayValue(value) }) : ok(list);
}

function readTimes(value: unknown): Parsed<string[]> {
  const list = parseList(value);
  if (list === undefined) return bad('config.value.list', { value: displayValue(value) });
  const times: string[] = [];
  for (const item of list) {
    const time = parseTimeOfDay(item);
    if (time === undefined) return bad('config.value.time', { value: item });
    times.push(time);
  }
  return ok(times);
}

function readChoice<const T extends string>(values: readonly T[]) {
  return (value: unknown): Parsed<T> => {
    const word = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
    const found = values.find((v) => v === word);
    return found === undefined
      ? bad('config.value.choice', { value: displayValue(value), accepted: values.join(' | ') })
      : ok(found);
  };
}

function readCount(minimum: number) {
  return (value: unknown): Parsed<number> => {
    const number = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
    return Number.isInteger(number) && number >= minimum
      ? ok(number)
      : bad('config.value.count', { value: displayValue(value), min: minimum });
  };
}

function readNamingFormat(value: unknown): Parsed<string> {
  const text = readText(value);
  if (!text.ok) return text;
  const unknown = findUnknownTokens(text.value);
  if (unknown.length === 0) return text;
  return bad('config.naming.unknownToken', {
    tokens: unknown.join(', '),
    accepted: NAMING_TOKENS.map((token) => `[${token}]`).join(' '),
  });
}

/** `{ "RCT": "mandats" }` or `[{ "key": "RCT", "value": "mandats" }]` (the order is kept). */
function readSearchTable(value: unknown): Parsed<Array<{ key: string; value: string }>> {
  const rows = Array.isArray(value)
    ? value.map((row: unknown) => (isPlainObject(row) ? [row.key, row.value] : [undefined, undefined]))
    : isPlainObject(value)
      ? Object.entries(value)
      : undefined;
  if (rows === undefined) return bad('config.value.searchTable');
  const table: Array<{ key: string; value: string }> = [];
  for (const [key, replacement] of rows) {
    if (typeof key !== 'string' || key === '' || typeof replacement !== 'string') return bad('config.value.searchTable');
    table.push({ key, value: replacement });
  }
  return ok(table);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const text = optional(readText);
const bool = optional(readBoolean);
const list = optional(readList);
const durationOrZero = optional(readDuration('zero'));
const positiveDuration = optional(readDuration('positive'));

const namingSchema = z.optional(
  z.strictObject({
    timestamp: bool,
    rename: bool,
    format: optional(readNamingFormat),
    search: optional(readSearchTable),
  }),
);

const scenarioSchema = z.strictObject({
  enabled: bool,
  profile: required(readText),
  protocol: required(readText),
  source: text,
  filter: list,
  exclude: list,
  settle: durationOrZero,
  allowEmpty: bool,
  doneMarker: text,
  backup: z.optional(z.strictObject({ dir: text, ifExists: optional(readChoice(IF_EXISTS_VALUES)) })),
  delays: z.optional(z.strictObject({ send: durationOrZero, retrieve: durationOrZero })),
  retries: z.optional(
    z.strictObject({
      attempts: optional(readCount(1)),
      backoff: durationOrZero,
      maxDelay: durationOrZero,
      maxTime: positiveDuration,
    }),
  ),
  retrieve: z.optional(z.strictObject({ enabled: bool, afterSend: bool, at: optional(readTimes) })),
  receipts: z.optional(z.strictObject({ every: positiveDuration, warnAfter: positiveDuration })),
  expectEvery: positiveDuration,
  hooks: z.optional(z.strictObject({ before: text, after: text, timeout: positiveDuration })),
  naming: namingSchema,
  options: z.optional(z.record(z.string(), z.unknown())),
});

// Other keys of a profile are protocol blocks, checked against the registry in ./references.ts.
const profileSchema = z.looseObject({ label: text, insee: optional(readCode) });

export const configSchema = z.strictObject({
  root: text,
  lang: optional(readChoice(LANG_VALUES)),
  watch: z.optional(z.strictObject({ interval: positiveDuration })),
  naming: namingSchema,
  profiles: z.optional(z.record(z.string(), profileSchema)),
  scenarios: z.optional(z.record(z.string(), scenarioSchema)),
});

export type ParsedConfig = z.output<typeof configSchema>;
export type ParsedScenario = z.output<typeof scenarioSchema>;
export type ParsedNaming = NonNullable<z.output<typeof namingSchema>>;

/** Keys accepted at `path` (for "did you mean"), or undefined where any key is allowed. */
export function acceptedKeysAt(path: ReadonlyArray<string | number>): string[] | undefined {
  let schema: z.ZodMiniType | undefined = configSchema;
  for (const segment of path) {
    schema = childSchema(schema, String(segment));
    if (schema === undefined) return undefined;
  }
  const node = unwrap(schema);
  return node instanceof z.ZodMiniObject ? Object.keys(node.shape) : undefined;
}

function childSchema(schema: z.ZodMiniType, key: string): z.ZodMiniType | undefined {
  const node = unwrap(schema);
  if (node instanceof z.ZodMiniObject) return (node.shape as Record<string, z.ZodMiniType>)[key];
  if (node instanceof z.ZodMiniRecord) return node._zod.def.valueType as z.ZodMiniType;
  return undefined;
}

function unwrap(schema: z.ZodMiniType): z.ZodMiniType {
  let node = schema;
  while (node instanceof z.ZodMiniOptional) node = node._zod.def.innerType as z.ZodMiniType;
  return node;
}
