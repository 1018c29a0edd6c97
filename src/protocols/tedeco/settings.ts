// The `tedeco` protocol's settings: the profile's agent (`profiles.<P>.tedeco`: spool, alias, ead) and
// the scenario's request (`scenarios.<S>.options`), checked and resolved. INI hands every value over
// as text, so numbers are also accepted as written.
import { isAbsolute, resolve } from 'node:path';
import { parseDuration } from '../../shared/duration.js';
import type { ProtocolSettingProblem } from '../contract.js';
import { localOptionProblems } from '../common/folder-settings.js';
import { filterPatterns } from '../common/retrieval-options.js';
import { rfaTokenList, rfaTokenProblems, type RequestType } from './rfa.js';
import { firstUnencodable } from './windows-1252.js';

/** Must match the registry's entry (which lists them without loading this code). */
export const TEDECO_PROFILE_KEYS = ['spool', 'alias', 'ead'] as const;
export const TEDECO_OPTION_KEYS = ['type', 'rfa', 'recordLength', 'compression', 'year', 'filter', 'staleRequestAge'] as const;

export const DEFAULT_COMPRESSION = 'LempelZiv';
export const DEFAULT_STALE_REQUEST_MS = 24 * 60 * 60 * 1000;

/** The EAD names a folder and is every spool file's extension: letters, digits, `_` and `-` only. */
const EAD = /^[A-Za-z0-9_-]{1,32}$/;
const COMPRESSION = /^[A-Za-z0-9_-]{1,32}$/;
const TYPES: readonly RequestType[] = ['etatcivil', 'elections'];
const MIN_YEAR = 1900;
const MAX_YEAR = 2999;

export interface TedecoSettings {
  /** Absolute path of the agent's spool root (`<tedeco>`). */
  spool: string;
  alias: string;
  ead: string;
  type: RequestType;
  /** Template of the application reference (`[var2]`…), possibly empty. */
  rfa: string;
  recordLength: number;
  compression: string;
  /** Reference year of elections files when fixed by the scenario. */
  year: number | undefined;
  /** Name patterns of the return files to collect; default `la*.<ead>`. */
  filter: string[] | undefined;
  staleRequestMs: number;
}

export function tedecoProblems(profile: Record<string, unknown>, options: Record<string, unknown>): ProtocolSettingProblem[] {
  return [...profileProblems(profile), ...optionProblems(options)];
}

function profileProblems(profile: Record<string, unknown>): ProtocolSettingProblem[] {
  const problems: ProtocolSettingProblem[] = [];
  const problem = (key: string, messageKey: string, params: Record<string, string> = {}): void => {
    problems.push({ where: 'profile', key, messageKey, params });
  };
  if (!isText(profile.spool)) problem('spool', 'protocol.tedeco.profile.spool');
  if (!isText(profile.alias)) problem('alias', 'protocol.tedeco.profile.alias');
  else problems.push(...textProblems('profile', 'alias', profile.alias));
  if (profile.ead === undefined || profile.ead === '') problem('ead', 'protocol.tedeco.profile.eadMissing');
  else if (typeof profile.ead !== 'string' || !EAD.test(profile.ead.trim())) problem('ead', 'protocol.tedeco.profile.ead', { value: String(profile.ead) });
  return problems;
}

function optionProblems(options: Record<string, unknown>): ProtocolSettingProblem[] {
  const problems: ProtocolSettingProblem[] = [];
  const problem = (key: string, messageKey: string, params: Record<string, string> = {}): void => {
    problems.push({ where: 'options', key, messageKey, params });
  };
  const type = parseType(options.type);
  if (options.type === undefined) problem('type', 'protocol.tedeco.option.typeMissing');
  else if (type === undefined) problem('type', 'protocol.tedeco.option.type', { value: String(options.type) });
  if (options.recordLength === undefined) problem('recordLength', 'protocol.tedeco.option.recordLengthMissing');
  else if (parsePositiveInteger(options.recordLength) === undefined) {
    problem('recordLength', 'protocol.tedeco.option.recordLength', { value: String(options.recordLength) });
  }
  if (options.rfa !== undefined) {
    if (typeof options.rfa !== 'string') problem('rfa', 'protocol.tedeco.option.rfa');
    else {
      for (const found of rfaTokenProblems(options.rfa, type)) {
        const key = found.reason === 'unknown' ? 'protocol.tedeco.option.rfaToken' : 'protocol.tedeco.option.rfaTokenType';
        problem('rfa', key, { token: found.token, tokens: rfaTokenList(), type: type ?? '' });
      }
      problems.push(...textProblems('options', 'rfa', options.rfa));
    }
  }
  if (options.compression !== undefined && (typeof options.compression !== 'string' || !COMPRESSION.test(options.compression.trim()))) {
    problem('compression', 'protocol.tedeco.option.compression', { value: String(options.compression) });
  }
  if (options.year !== undefined && parseYear(options.year) === undefined) problem('year', 'protocol.tedeco.option.year', { value: String(options.year) });
  if (options.staleRequestAge !== undefined && parseStaleAge(options.staleRequestAge) === undefined) {
    problem('staleRequestAge', 'protocol.tedeco.option.staleRequestAge', { value: String(options.staleRequestAge) });
  }
  if (options.filter !== undefined) problems.push(...localOptionProblems({ filter: options.filter }));
  return problems;
}

/** Values go into one `key=value` line of a Windows-1252 file. */
function textProblems(where: 'profile' | 'options', key: string, value: string): ProtocolSettingProblem[] {
  if (/[\u0000-\u001f\u007f]/.test(value)) return [{ where, key, messageKey: 'protocol.tedeco.controlChar', params: { key } }];
  const char = firstUnencodable(value);
  return char === undefined ? [] : [{ where, key, messageKey: 'protocol.tedeco.notEncodable', params: { key, char } }];
}

/** Call only once `tedecoProblems` found nothing. */
export function resolveTedecoSettings(profile: Record<string, unknown>, options: Record<string, unknown>, configDir: string): TedecoSettings {
  const spool = String(profile.spool).trim();
  return {
    spool: isAbsolute(spool) ? resolve(spool) : resolve(configDir, spool),
    alias: String(profile.alias).trim(),
    ead: String(profile.ead).trim(),
    type: parseType(options.type) ?? 'etatcivil',
    rfa: typeof options.rfa === 'string' ? options.rfa.trim() : '',
    recordLength: parsePositiveInteger(options.recordLength) ?? 1,
    compression: typeof options.compression === 'string' ? options.compression.trim() : DEFAULT_COMPRESSION,
    year: options.year === undefined ? undefined : parseYear(options.year),
    filter: options.filter === undefined ? undefined : filterPatterns(options.filter),
    staleRequestMs: options.staleRequestAge === undefined ? DEFAULT_STALE_REQUEST_MS : (parseStaleAge(options.staleRequestAge) ?? DEFAULT_STALE_REQUEST_MS),
  };
}

function parseType(value: unknown): RequestType | undefined {
  if (typeof value !== 'string') return undefined;
  const word = value.trim().toLowerCase();
  return TYPES.find((type) => type === word);
}

function parsePositiveInteger(value: unknown): number | undefined {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  if (!/^[0-9]+$/.test(text)) return undefined;
  const number = Number(text);
  return Number.isSafeInteger(number) && number > 0 ? number : undefined;
}

function parseYear(value: unknown): number | undefined {
  const year = parsePositiveInteger(value);
  return year !== undefined && year >= MIN_YEAR && year <= MAX_YEAR ? year : undefined;
}

function parseStaleAge(value: unknown): number | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const ms = parseDuration(value);
  return ms !== undefined && ms > 0 ? ms : undefined;
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}
