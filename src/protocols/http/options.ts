// The `http` protocol's keys: the profile's block (`profiles.<P>.http`: one address per file type,
// authentication, how the file is sent and what success looks like, and the connection keys shared with
// `xfb`) and the scenario's options (`fileType`, extra form `fields`). Described in docs/protocols/http.md.
import { parseList } from '../../shared/values.js';
import type { ProtocolSettingProblem } from '../contract.js';
import { accepted, customType, declareProtocol, enumType, isText, refused, say, textType, written, type Complaint, type ReadContext } from '../options.js';
import { certWithKey, webOptions, webUrlComplaint } from '../web/options.js';

export type HttpAuth =
  | { type: 'none' }
  | { type: 'basic'; user: string; password: string }
  | { type: 'bearer'; token: string }
  /** The client certificate (`cert` / `key`) is the authentication. */
  | { type: 'certificate' };

const AUTH_TYPES = ['none', 'basic', 'bearer', 'certificate'] as const;
const AUTH_KEYS = ['type', 'user', 'password', 'token'];

/** `name = address` by file type; `{name}` in an address stands for the file's name. */
const urlsType = customType('addresses', (value, context) => {
  if (!isPlainObject(value) || Object.keys(value).length === 0) return refused({ messageKey: 'protocol.http.setting.urls', params: { key: context.key } });
  const complaints = Object.entries(value).flatMap(([fileType, url]) => webUrlComplaint(`${context.key}.${fileType}`, url, { allowQuery: true, allowName: true }) ?? []);
  return complaints.length === 0 ? accepted(Object.fromEntries(Object.entries(value).map(([fileType, url]) => [fileType, String(url).trim()]))) : refused(...complaints);
});

const authType = customType('group', (value, context) => {
  const complain = (key: string, messageKey: string, params: Record<string, string> = {}) => refused({ key, messageKey, params: { key, ...params } });
  if (!isPlainObject(value)) return complain(context.key, 'protocol.http.setting.authGroup');
  const unknown = Object.keys(value).find((key) => !AUTH_KEYS.includes(key));
  if (unknown !== undefined) return complain(`${context.key}.${unknown}`, 'protocol.http.setting.authKey', { accepted: AUTH_KEYS.join(', ') });
  const type = authTypeOf(value);
  if (type === undefined) return complain(`${context.key}.type`, 'protocol.http.setting.authType', { value: value.type === undefined ? '' : written(value.type) });
  if (type === 'basic') {
    if (!isText(value.user)) return complain(`${context.key}.user`, 'protocol.web.setting.required');
    if (typeof value.password !== 'string') return complain(`${context.key}.password`, 'protocol.web.setting.required');
    return accepted<HttpAuth>({ type, user: value.user, password: value.password });
  }
  if (type === 'bearer') return isText(value.token) ? accepted<HttpAuth>({ type, token: value.token }) : complain(`${context.key}.token`, 'protocol.web.setting.required');
  return accepted<HttpAuth>({ type });
});

/** Given, or told by the keys present: a token means bearer, a user basic. */
function authTypeOf(auth: Record<string, unknown>): HttpAuth['type'] | undefined {
  if (auth.type === undefined) return auth.token !== undefined ? 'bearer' : auth.user !== undefined ? 'basic' : 'none';
  const type = typeof auth.type === 'string' ? auth.type.trim().toLowerCase() : '';
  return AUTH_TYPES.find((candidate) => candidate === type);
}

const statusesType = customType('list', (value, context) => {
  const items = typeof value === 'number' ? [String(value)] : parseList(value);
  const statuses = items?.map(Number) ?? [];
  const valid = statuses.length > 0 && statuses.every((status) => Number.isInteger(status) && status >= 100 && status <= 599);
  return valid ? accepted(statuses) : refused(formatComplaint('protocol.http.setting.successStatus', context.key, value));
});

const patternType = customType('regex', (value, context) => {
  if (isText(value)) {
    try {
      return accepted(new RegExp(value));
    } catch {
      // reported below
    }
  }
  return refused(formatComplaint('protocol.http.setting.successPattern', context.key, value));
});

/** One of the profile's file types. */
const fileTypeType = customType('text', (value, context) => {
  const known = fileTypes(context.blocks.profile);
  if (isText(value) && (known.length === 0 || known.includes(value.trim()))) return accepted(value.trim());
  return refused({ messageKey: 'protocol.http.option.fileType', params: { key: context.key, value: String(value), known: known.join(', ') } });
});

/** Extra form fields, in order; `{name}` in a value stands for the file's name. */
const fieldsType = customType('group', (value, context) => {
  if (!isPlainObject(value) || !Object.values(value).every((field) => typeof field === 'string' || typeof field === 'number')) {
    return refused({ messageKey: 'protocol.http.option.fields', params: { key: context.key } });
  }
  if (bodyOf(context.blocks.profile) === 'raw' && Object.keys(value).length > 0) return refused({ messageKey: 'protocol.http.option.fieldsNeedForm', params: { key: context.key } });
  return accepted(Object.entries(value).map(([name, field]): [string, string] => [name, String(field)]));
});

function formatComplaint(messageKey: string, key: string, value: unknown): Complaint {
  return { messageKey, params: { key, value: String(value) } };
}

export const httpDeclaration = declareProtocol({
  name: 'http',
  capabilities: ['send', 'check'],
  features: { usesInbox: false },
  options: [
    { name: 'urls', where: 'profile', type: urlsType, required: true, missing: say('protocol.http.setting.urls', 'key'), help: 'protocol.http.help.urls' },
    { name: 'auth', where: 'profile', type: authType, secret: ['password', 'token'], help: 'protocol.http.help.auth' },
    ...webOptions,
    { name: 'method', where: 'profile', type: enumType(['POST', 'PUT'], (key, value) => formatComplaint('protocol.http.setting.method', key, value)), default: 'POST', help: 'protocol.http.help.method' },
    { name: 'body', where: 'profile', type: enumType(['multipart', 'raw'], (key, value) => formatComplaint('protocol.http.setting.body', key, value)), default: 'multipart', help: 'protocol.http.help.body' },
    { name: 'fileField', where: 'profile', type: textType((key, value) => formatComplaint('protocol.web.setting.text', key, value)), default: 'file', help: 'protocol.http.help.fileField' },
    { name: 'successStatus', where: 'profile', type: statusesType, help: 'protocol.http.help.successStatus' },
    { name: 'successPattern', where: 'profile', type: patternType, help: 'protocol.http.help.successPattern' },
    { name: 'fileType', where: 'options', type: fileTypeType, help: 'protocol.http.help.fileType' },
    { name: 'fields', where: 'options', type: fieldsType, help: 'protocol.http.help.fields' },
  ],
  checks: [certWithKey, certificateWithItsFiles, fileTypeNamed],
});

function certificateWithItsFiles({ blocks }: ReadContext): ProtocolSettingProblem[] {
  const { auth, cert, key } = blocks.profile;
  if (!isPlainObject(auth) || !Object.keys(auth).every((name) => AUTH_KEYS.includes(name))) return [];
  if (authTypeOf(auth) !== 'certificate' || (cert !== undefined && key !== undefined)) return [];
  return [{ where: 'profile', key: 'auth.type', messageKey: 'protocol.http.setting.certificateAuth', params: { key: 'auth.type' } }];
}

/** A profile with several addresses needs the scenario to say which one it sends to. */
function fileTypeNamed({ blocks }: ReadContext): ProtocolSettingProblem[] {
  const known = fileTypes(blocks.profile);
  if (blocks.options.fileType !== undefined || known.length <= 1) return [];
  return [{ where: 'options', key: 'fileType', messageKey: 'protocol.http.option.fileTypeNeeded', params: { key: 'fileType', known: known.join(', ') } }];
}

function fileTypes(profile: Record<string, unknown>): string[] {
  return isPlainObject(profile.urls) ? Object.keys(profile.urls) : [];
}

function bodyOf(profile: Record<string, unknown>): string {
  return typeof profile.body === 'string' ? profile.body.trim().toLowerCase() : 'multipart';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
