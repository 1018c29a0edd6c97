// The shape of a configuration (docs/configuration.md), common to JSON, YAML and INI. Leaves accept what a person
// writes by hand — INI has only text, so `1`/`oui`, `30s` and `a;b` are read here — and report their
// problems as catalog keys; the messages are made in ./schema-issues.ts.
import { z } from 'zod';
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

function optional<T>(parse: (value: unknown) => Parsed<T>) {
  return z
    .unknown()
    .transform((value, ctx): T | undefined => {
      if (isBlank(value)) return undefined;
      const result = parse(value);
      if (result.ok) return result.value;
      ctx.addIssue({ code: 'custom', params: result.problem, input: value });
      return z.NEVER;
    })
    .optional();
}

function required<T>(parse: (value: unknown) => Parsed<T>) {
  return z.unknown().transform((value, ctx): T => {
    const result = isBlank(value) ? bad('config.key.required') : parse(value);
    if (result.ok) return result.value;
    ctx.addIssue({ code: 'custom', params: result.problem, input: value });
    return z.NEVER;
  });
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

const namingSchema = z
  .strictObject({
    timestamp: bool,
    rename: bool,
    format: optional(readNamingFormat),
    search: optional(readSearchTable),
  })
  .optional();

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
  backup: z.strictObject({ dir: text, ifExists: optional(readChoice(IF_EXISTS_VALUES)) }).optional(),
  delays: z.strictObject({ send: durationOrZero, retrieve: durationOrZero }).optional(),
  retries: z
    .strictObject({
      attempts: optional(readCount(1)),
      backoff: durationOrZero,
      maxDelay: durationOrZero,
      maxTime: positiveDuration,
    })
    .optional(),
  retrieve: z.strictObject({ enabled: bool, afterSend: bool, at: optional(readTimes) }).optional(),
  receipts: z.strictObject({ every: positiveDuration, warnAfter: positiveDuration }).optional(),
  expectEvery: positiveDuration,
  hooks: z.strictObject({ before: text, after: text, timeout: positiveDuration }).optional(),
  naming: namingSchema,
  options: z.record(z.string(), z.unknown()).optional(),
});

// Other keys of a profile are protocol blocks, checked against the registry in ./references.ts.
const profileSchema = z.looseObject({ label: text, insee: optional(readCode) });

export const configSchema = z.strictObject({
  root: text,
  lang: optional(readChoice(LANG_VALUES)),
  watch: z.strictObject({ interval: positiveDuration }).optional(),
  naming: namingSchema,
  profiles: z.record(z.string(), profileSchema).optional(),
  scenarios: z.record(z.string(), scenarioSchema).optional(),
});

export type ParsedConfig = z.output<typeof configSchema>;
export type ParsedScenario = z.output<typeof scenarioSchema>;
export type ParsedNaming = NonNullable<z.output<typeof namingSchema>>;

/** Keys accepted at `path` (for "did you mean"), or undefined where any key is allowed. */
export function acceptedKeysAt(path: ReadonlyArray<string | number>): string[] | undefined {
  let schema: z.ZodType | undefined = configSchema;
  for (const segment of path) {
    schema = childSchema(schema, String(segment));
    if (schema === undefined) return undefined;
  }
  const node = unwrap(schema);
  return node instanceof z.ZodObject ? Object.keys(node.shape) : undefined;
}

function childSchema(schema: z.ZodType, key: string): z.ZodType | undefined {
  const node = unwrap(schema);
  if (node instanceof z.ZodObject) return (node.shape as Record<string, z.ZodType>)[key];
  if (node instanceof z.ZodRecord) return node.valueType as z.ZodType;
  return undefined;
}

function unwrap(schema: z.ZodType): z.ZodType {
  let node = schema;
  while (node instanceof z.ZodOptional) node = node.unwrap() as z.ZodType;
  return node;
}
