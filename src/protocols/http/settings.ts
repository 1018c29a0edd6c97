// The `http` protocol's settings: the profile's block (`profiles.<P>.http`: one URL per file type,
// authentication, how the file is sent and what success looks like, plus the connection settings
// shared with `xfb`) and the scenario's options (`fileType`, extra form `fields`).
import { parseList } from '../../shared/values.js';
import type { ProtocolSettingProblem } from '../contract.js';
import { resolveWebSettings, webSettingProblems, webUrlProblem, type WebSettings } from '../web/settings.js';

export type HttpAuth =
  | { type: 'none' }
  | { type: 'basic'; user: string; password: string }
  | { type: 'bearer'; token: string }
  /** The client certificate (`cert` / `key`) is the authentication. */
  | { type: 'certificate' };

export interface HttpSettings {
  fileType: string;
  /** The file type's address; `{name}` stands for the file's name, URL-encoded. */
  urlTemplate: string;
  auth: HttpAuth;
  method: 'POST' | 'PUT';
  body: 'multipart' | 'raw';
  fileField: string;
  /** Extra form fields, in order; `{name}` in a value stands for the file's name. */
  fields: Array<[string, string]>;
  /** Statuses that mean success; undefined: any 2xx. */
  successStatus: number[] | undefined;
  /** Text the answer must contain (a regular expression) to count as a success. */
  successPattern: RegExp | undefined;
  web: WebSettings;
}

type Problems = ProtocolSettingProblem[];
const AUTH_TYPES = ['none', 'basic', 'bearer', 'certificate'] as const;
const AUTH_KEYS = ['type', 'user', 'password', 'token'];

export function httpSettingProblems(profile: Record<string, unknown>, options: Record<string, unknown>): Problems {
  return [...urlProblems(profile), ...authProblems(profile), ...formatProblems(profile), ...webSettingProblems(profile), ...optionProblems(profile, options)];
}

function urlProblems(profile: Record<string, unknown>): Problems {
  const { urls } = profile;
  if (urls === undefined) return [{ where: 'profile', key: 'urls', messageKey: 'protocol.http.setting.urls', params: { key: 'urls' } }];
  if (!isPlainObject(urls) || Object.keys(urls).length === 0) return [{ where: 'profile', key: 'urls', messageKey: 'protocol.http.setting.urls', params: { key: 'urls' } }];
  const problems: Problems = [];
  for (const [fileType, url] of Object.entries(urls)) {
    const problem = webUrlProblem(`urls.${fileType}`, url, { allowQuery: true, allowName: true });
    if (problem !== undefined) problems.push({ where: 'profile', ...problem });
  }
  return problems;
}

function authProblems(profile: Record<string, unknown>): Problems {
  const { auth } = profile;
  if (auth === undefined) return [];
  const add = (key: string, messageKey: string, params: Record<string, string> = {}): Problems => [{ where: 'profile', key, messageKey, params: { key, ...params } }];
  if (!isPlainObject(auth)) return add('auth', 'protocol.http.setting.authGroup');
  const unknown = Object.keys(auth).filter((key) => !AUTH_KEYS.includes(key));
  if (unknown.length > 0) return add(`auth.${unknown[0]}`, 'protocol.http.setting.authKey', { accepted: AUTH_KEYS.join(', ') });
  const type = authType(auth);
  if (type === undefined) return add('auth.type', 'protocol.http.setting.authType', { value: String(auth.type ?? '') });
  if (type === 'basic') {
    if (!isText(auth.user)) return add('auth.user', 'protocol.web.setting.required');
    if (typeof auth.password !== 'string') return add('auth.password', 'protocol.web.setting.required');
  }
  if (type === 'bearer' && !isText(auth.token)) return add('auth.token', 'protocol.web.setting.required');
  if (type === 'certificate' && (profile.cert === undefined || profile.key === undefined)) return add('auth.type', 'protocol.http.setting.certificateAuth');
  return [];
}

/** Given, or told by the keys present: a token means bearer, a user basic. */
function authType(auth: Record<string, unknown>): HttpAuth['type'] | undefined {
  if (auth.type === undefined) return auth.token !== undefined ? 'bearer' : auth.user !== undefined ? 'basic' : 'none';
  const type = typeof auth.type === 'string' ? auth.type.trim().toLowerCase() : '';
  return (AUTH_TYPES as readonly string[]).includes(type) ? (type as HttpAuth['type']) : undefined;
}

function formatProblems(profile: Record<string, unknown>): Problems {
  const problems: Problems = [];
  const add = (key: string, messageKey: string, value: unknown): void => {
    problems.push({ where: 'profile', key, messageKey, params: { key, value: String(value) } });
  };
  if (profile.method !== undefined && methodOf(profile.method) === undefined) add('method', 'protocol.http.setting.method', profile.method);
  if (profile.body !== undefined && bodyOf(profile.body) === undefined) add('body', 'protocol.http.setting.body', profile.body);
  if (profile.fileField !== undefined && !isText(profile.fileField)) add('fileField', 'protocol.web.setting.text', profile.fileField);
  if (profile.successStatus !== undefined && statusesOf(profile.successStatus) === undefined) add('successStatus', 'protocol.http.setting.successStatus', profile.successStatus);
  if (profile.successPattern !== undefined && patternOf(profile.successPattern) === undefined) add('successPattern', 'protocol.http.setting.successPattern', profile.successPattern);
  return problems;
}

function optionProblems(profile: Record<string, unknown>, options: Record<string, unknown>): Problems {
  const problems: Problems = [];
  const urls = isPlainObject(profile.urls) ? Object.keys(profile.urls) : [];
  const { fileType, fields } = options;
  if (fileType === undefined) {
    if (urls.length > 1) problems.push({ where: 'options', key: 'fileType', messageKey: 'protocol.http.option.fileTypeNeeded', params: { key: 'fileType', known: urls.join(', ') } });
  } else if (!isText(fileType) || (urls.length > 0 && !urls.includes(fileType.trim()))) {
    problems.push({ where: 'options', key: 'fileType', messageKey: 'protocol.http.option.fileType', params: { key: 'fileType', value: String(fileType), known: urls.join(', ') } });
  }
  if (fields !== undefined) {
    if (!isPlainObject(fields) || !Object.values(fields).every((value) => typeof value === 'string' || typeof value === 'number')) {
      problems.push({ where: 'options', key: 'fields', messageKey: 'protocol.http.option.fields', params: { key: 'fields' } });
    } else if (bodyOf(profile.body ?? 'multipart') === 'raw' && Object.keys(fields).length > 0) {
      problems.push({ where: 'options', key: 'fields', messageKey: 'protocol.http.option.fieldsNeedForm', params: { key: 'fields' } });
    }
  }
  return problems;
}

/** Call only once `httpSettingProblems` found nothing. */
export function resolveHttpSettings(profile: Record<string, unknown>, options: Record<string, unknown>, configDir: string): HttpSettings {
  const urls = profile.urls as Record<string, string>;
  const fileType = isText(options.fileType) ? options.fileType.trim() : (Object.keys(urls)[0] ?? '');
  const fields = isPlainObject(options.fields) ? Object.entries(options.fields).map(([name, value]): [string, string] => [name, String(value)]) : [];
  return {
    fileType,
    urlTemplate: String(urls[fileType]).trim(),
    auth: resolveAuth(profile.auth),
    method: methodOf(profile.method ?? 'POST') ?? 'POST',
    body: bodyOf(profile.body ?? 'multipart') ?? 'multipart',
    fileField: isText(profile.fileField) ? profile.fileField.trim() : 'file',
    fields,
    successStatus: profile.successStatus === undefined ? undefined : statusesOf(profile.successStatus),
    successPattern: profile.successPattern === undefined ? undefined : patternOf(profile.successPattern),
    web: resolveWebSettings(profile, configDir),
  };
}

function resolveAuth(auth: unknown): HttpAuth {
  if (!isPlainObject(auth)) return { type: 'none' };
  const type = authType(auth) ?? 'none';
  if (type === 'basic') return { type, user: String(auth.user), password: String(auth.password) };
  if (type === 'bearer') return { type, token: String(auth.token) };
  return { type };
}

function methodOf(value: unknown): 'POST' | 'PUT' | undefined {
  const method = typeof value === 'string' ? value.trim().toUpperCase() : '';
  return method === 'POST' || method === 'PUT' ? method : undefined;
}

function bodyOf(value: unknown): 'multipart' | 'raw' | undefined {
  const body = typeof value === 'string' ? value.trim().toLowerCase() : '';
  return body === 'multipart' || body === 'raw' ? body : undefined;
}

function statusesOf(value: unknown): number[] | undefined {
  const items = typeof value === 'number' ? [String(value)] : parseList(value);
  if (items === undefined || items.length === 0) return undefined;
  const statuses = items.map(Number);
  return statuses.every((status) => Number.isInteger(status) && status >= 100 && status <= 599) ? statuses : undefined;
}

function patternOf(value: unknown): RegExp | undefined {
  if (!isText(value)) return undefined;
  try {
    return new RegExp(value);
  } catch {
    return undefined;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}
