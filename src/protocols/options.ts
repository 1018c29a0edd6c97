// How a protocol declares its settings, and the one validator that checks settings against such a
// declaration. Modelled on rclone's backend registration: every key of `profiles.<P>.<protocol>` and of
// `scenarios.<S>.options` is data (type, default, required, secret, help), and so are the protocol's
// capabilities and features, so that the configuration check, `config show` and the docs' key tables
// read them without loading any protocol code.
import { isAbsolute, resolve } from 'node:path';
import { didYouMean } from '../config/suggest.js';
import type { Params } from '../i18n/index.js';
import { parseDuration } from '../shared/duration.js';
import { SECRET_MASK } from '../shared/redact.js';
import { parseBoolean } from '../shared/values.js';
import type { Capability, ProtocolSettingProblem } from './contract.js';

/** profile: the `profiles.<P>.<protocol>` block; options: `scenarios.<S>.options`. */
export type OptionPlace = 'profile' | 'options';

/** A value as a configuration file can hold it (INI: always text). */
export type WrittenValue = string | number | boolean;

export interface SettingBlocks {
  readonly profile: Record<string, unknown>;
  readonly options: Record<string, unknown>;
}

export interface ReadContext {
  /** Both blocks as written, for a value whose validity depends on another key. */
  readonly blocks: SettingBlocks;
  /** Relative local paths are resolved against it; undefined: they stay as written. */
  readonly configDir: string | undefined;
}

export interface OptionContext extends ReadContext {
  /** The key being read, as declared. */
  readonly key: string;
}

/** What is wrong with a value: a catalog key and its params. */
export interface Complaint {
  messageKey: string;
  params?: Params;
  /** A part of the value (`urls.electionsFR`, `auth.password`) rather than the key itself. */
  key?: string;
}

export type Reading<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly complaints: readonly Complaint[] };

export interface OptionType<T> {
  /** As the docs' key tables name it: `text`, `path`, `port`, `duration`… */
  readonly name: string;
  read(value: unknown, context: OptionContext): Reading<T>;
}

/** Words a complaint about `key` (whose value is `value`) is made of. */
export type Say = (key: string, value: unknown) => Complaint;

export interface OptionDeclaration<N extends string = string, W extends OptionPlace = OptionPlace, T = unknown> {
  readonly name: N;
  readonly where: W;
  readonly type: OptionType<T>;
  /** As written in a configuration file; read through `type` when the key is not set. */
  readonly default?: WrittenValue;
  readonly required?: boolean;
  /** What a missing required key is reported as (default: `protocol.setting.required`). */
  readonly missing?: Say;
  /** The value is a secret (masked everywhere); for a group, the names of its secret parts. */
  readonly secret?: boolean | readonly string[];
  /** Catalog key of a one-line description. */
  readonly help: string;
}

export interface ProtocolFeatures {
  /** Retrieves only when the scenario names an inbox (`options.inbox`): without one, the scenario only sends. */
  readonly usesInbox: boolean;
}

/** A rule over several keys (one of two credentials, a move into the inbox itself…). */
export type SettingsCheck = (context: ReadContext) => ProtocolSettingProblem[];

export interface ProtocolDeclaration<O extends readonly OptionDeclaration[] = readonly OptionDeclaration[]> {
  readonly name: string;
  /** What every session of the protocol can do: exactly the methods it has (checked when one opens). */
  readonly capabilities: readonly Capability[];
  readonly features: ProtocolFeatures;
  readonly options: O;
  readonly checks: readonly SettingsCheck[];
}

/** Keeps the names and places of the options as literal types, so that `readSettings` can type its result. */
export function declareProtocol<const O extends readonly OptionDeclaration[]>(declaration: ProtocolDeclaration<O>): ProtocolDeclaration<O> {
  return declaration;
}

/** Options several protocols share (declared once, spread into each declaration). */
export function declareOptions<const O extends readonly OptionDeclaration[]>(options: O): O {
  return options;
}

type ValueOf<D> =
  D extends OptionDeclaration<string, OptionPlace, infer T> ? (D extends { readonly default: WrittenValue } | { readonly required: true } ? T : T | undefined) : never;

export type SettingValues<O extends readonly OptionDeclaration[], W extends OptionPlace> = {
  [D in O[number] as D['where'] extends W ? D['name'] : never]: ValueOf<D>;
};

export function declaredKeys(declaration: ProtocolDeclaration, where: OptionPlace): string[] {
  return declaration.options.filter((option) => option.where === where).map((option) => option.name);
}

export const UNKNOWN_SETTING = 'protocol.setting.unknown';

/**
 * Every problem of the settings, required keys first, then the rules over several keys, then the other
 * keys in the order of the declaration, then unknown keys (with the closest known one).
 */
export function settingProblems(declaration: ProtocolDeclaration, blocks: SettingBlocks, configDir?: string): ProtocolSettingProblem[] {
  const context: ReadContext = { blocks, configDir };
  const checked = declaration.checks.flatMap((check) => check(context));
  return (['profile', 'options'] as const).flatMap((where) => {
    const declared = declaration.options.filter((option) => option.where === where);
    const block = blocks[where];
    const problemsOf = (option: OptionDeclaration): ProtocolSettingProblem[] => optionProblems(option, block[option.name], context);
    return [
      ...declared.filter((option) => option.required === true).flatMap(problemsOf),
      ...checked.filter((problem) => problem.where === where),
      ...declared.filter((option) => option.required !== true).flatMap(problemsOf),
      ...unknownKeyProblems(where, block, declared.map((option) => option.name)),
    ];
  });
}

/** The values of settings `settingProblems` found nothing wrong with (for `options`: a declaration's, or a part of them), defaults filled in. */
export function readSettings<O extends readonly OptionDeclaration[]>(
  options: O,
  blocks: SettingBlocks,
  configDir?: string,
): { profile: SettingValues<O, 'profile'>; options: SettingValues<O, 'options'> } {
  const context: ReadContext = { blocks, configDir };
  const values: Record<OptionPlace, Record<string, unknown>> = { profile: {}, options: {} };
  for (const option of options) values[option.where][option.name] = readValue(option, blocks[option.where][option.name], context);
  return values as { profile: SettingValues<O, 'profile'>; options: SettingValues<O, 'options'> };
}

/** As written, else the default (what a value that cannot be read falls back to as well). */
function readValue(option: OptionDeclaration, value: unknown, context: ReadContext): unknown {
  for (const candidate of [value, option.default]) {
    if (candidate === undefined) continue;
    const reading = option.type.read(candidate, { ...context, key: option.name });
    if (reading.ok) return reading.value;
  }
  return undefined;
}

function optionProblems(option: OptionDeclaration, value: unknown, context: ReadContext): ProtocolSettingProblem[] {
  if (value === undefined) return option.required === true ? [problemOf(option, (option.missing ?? say('protocol.setting.required', 'key'))(option.name, value))] : [];
  const reading = option.type.read(value, { ...context, key: option.name });
  return reading.ok ? [] : reading.complaints.map((complaint) => problemOf(option, complaint));
}

function problemOf(option: OptionDeclaration, complaint: Complaint): ProtocolSettingProblem {
  const key = complaint.key ?? option.name;
  const { params } = complaint;
  const problem: ProtocolSettingProblem = { where: option.where, key, messageKey: complaint.messageKey };
  if (params !== undefined) problem.params = params.value !== undefined && isSecretPart(option, key) ? { ...params, value: SECRET_MASK } : params;
  return problem;
}

/** `key` is the option itself or one of its parts (`auth.password`). */
export function isSecretPart(option: OptionDeclaration, key: string): boolean {
  if (option.secret === true) return true;
  if (option.secret === undefined || option.secret === false) return false;
  return option.secret.some((part) => key === `${option.name}.${part}`);
}

function unknownKeyProblems(where: OptionPlace, block: Record<string, unknown>, accepted: readonly string[]): ProtocolSettingProblem[] {
  return Object.keys(block)
    .filter((key) => !accepted.includes(key))
    .map((key) => {
      const suggestion = didYouMean(key, accepted);
      const fixKey =
        suggestion !== undefined ? 'protocol.setting.unknown.suggest' : accepted.length > 0 ? 'protocol.setting.unknown.accepted' : 'protocol.setting.unknown.none';
      return { where, key, messageKey: UNKNOWN_SETTING, params: { key, suggestion: suggestion ?? '', accepted: accepted.join(', ') }, fixKey };
    });
}

/** A complaint naming the key (`{key}`) and/or the value as written (`{value}`), as its message needs. */
export function say(messageKey: string, ...names: ReadonlyArray<'key' | 'value'>): Say {
  return (key, value) => {
    if (names.length === 0) return { messageKey };
    const params: Params = {};
    if (names.includes('key')) params.key = key;
    if (names.includes('value')) params.value = written(value);
    return { messageKey, params };
  };
}

/** A value as it was written, for a message. */
export function written(value: unknown): string {
  if (typeof value === 'string') return value;
  // undefined and functions have no JSON form.
  const json = JSON.stringify(value) as string | undefined;
  return json ?? String(value);
}

export function accepted<T>(value: T): Reading<T> {
  return { ok: true, value };
}

export function refused(...complaints: Complaint[]): Reading<never> {
  return { ok: false, complaints };
}

/** A type whose reading is the protocol's own. */
export function customType<T>(name: string, read: (value: unknown, context: OptionContext) => Reading<T>): OptionType<T> {
  return { name, read };
}

/** How much text is enough: not blank (the default), not empty, or any text at all. */
export type TextRule = 'notBlank' | 'notEmpty' | 'any';

export function isText(value: unknown, rule: TextRule = 'notBlank'): value is string {
  if (typeof value !== 'string') return false;
  return rule === 'any' || (rule === 'notEmpty' ? value !== '' : value.trim() !== '');
}

/** Text, as written (spaces around it are kept: some values are secrets). */
export function textType(invalid: Say, rule: TextRule = 'notBlank'): OptionType<string> {
  return customType('text', (value, context) => (isText(value, rule) ? accepted(value) : refused(invalid(context.key, value))));
}

/** A path on this machine, resolved against the configuration's folder when it is relative. */
export function localPathType(invalid: Say): OptionType<string> {
  return customType('path', (value, context) => {
    if (!isText(value)) return refused(invalid(context.key, value));
    const path = value.trim();
    return accepted(context.configDir === undefined ? path : resolveLocalPath(path, context.configDir));
  });
}

export function resolveLocalPath(path: string, configDir: string): string {
  return isAbsolute(path) ? resolve(path) : resolve(configDir, path);
}

/** A folder on the partner's side: never resolved against anything local; `out/` and `out` are the same folder. */
export function remotePathType(invalid: Say): OptionType<string> {
  return customType('remote path', (value, context) => (isText(value) ? accepted(withoutTrailingSlashes(value.trim())) : refused(invalid(context.key, value))));
}

/** `/` stays the root. */
export function withoutTrailingSlashes(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed;
}

export function portType(invalid: Say): OptionType<number> {
  return customType('port', (value, context) => {
    const number = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
    return typeof number === 'number' && Number.isInteger(number) && number >= 1 && number <= 65_535 ? accepted(number) : refused(invalid(context.key, value));
  });
}

/** A whole number written in digits, between `min` and `max`. */
export function integerType(invalid: Say, range: { min: number; max?: number }): OptionType<number> {
  return customType('integer', (value, context) => {
    const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
    const number = /^[0-9]+$/.test(text) ? Number(text) : Number.NaN;
    const inRange = Number.isSafeInteger(number) && number >= range.min && (range.max === undefined || number <= range.max);
    return inRange ? accepted(number) : refused(invalid(context.key, value));
  });
}

/** `500ms`, `20s`, `2m`, `12h`, `1d`, or a number of seconds; in milliseconds. */
export function durationType(invalid: Say, zero: 'allowed' | 'refused'): OptionType<number> {
  return customType('duration', (value, context) => {
    const ms = typeof value === 'string' || typeof value === 'number' ? parseDuration(value) : undefined;
    return ms !== undefined && (zero === 'allowed' || ms > 0) ? accepted(ms) : refused(invalid(context.key, value));
  });
}

/** `true/false`, `1/0`, `yes/no`, `oui/non`, in any case. */
export function booleanType(invalid: Say): OptionType<boolean> {
  return customType('boolean', (value, context) => {
    const flag = parseBoolean(value);
    return flag === undefined ? refused(invalid(context.key, value)) : accepted(flag);
  });
}

/** Names: a list, or one text with `;` (or `,`) between them. */
export function listType(invalid: Say): OptionType<string[]> {
  return customType('list', (value, context) => {
    const items = typeof value === 'string' ? value.split(/[;,]/) : value;
    if (!Array.isArray(items) || !items.every((item): item is string => typeof item === 'string')) return refused(invalid(context.key, value));
    const names = items.map((item) => item.trim()).filter((item) => item !== '');
    return names.length === 0 ? refused(invalid(context.key, value)) : accepted(names);
  });
}

/** One of `values`, in any letter case; read as written in `values`. */
export function enumType<const V extends string>(values: readonly V[], invalid: Say): OptionType<V> {
  return customType('enum', (value, context) => {
    const word = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
    const found = values.find((candidate) => candidate.toLowerCase() === word);
    return found === undefined ? refused(invalid(context.key, value)) : accepted(found);
  });
}
