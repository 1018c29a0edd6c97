// The connection keys `xfb` and `http` share (`profiles.<P>.<protocol>`): TLS files, `insecure`, `timeout`
// and `proxy`, and how a partner's address is checked. Checked without any I/O.
import { redact } from '../../shared/redact.js';
import type { ProtocolSettingProblem } from '../contract.js';
import { accepted, booleanType, customType, declareOptions, durationType, isText, localPathType, refused, say, textType, type Complaint, type ReadContext } from '../options.js';

/** An explicit proxy, `http://host:port` (its credentials, if any, kept), as a normalised address. */
export function proxyUrl(value: unknown): string | undefined {
  if (!isText(value)) return undefined;
  try {
    const url = new URL(value.trim());
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '' || (url.pathname !== '/' && url.pathname !== '')) return undefined;
    return url.href;
  } catch {
    return undefined;
  }
}

const proxyType = customType('url', (value, context) => {
  const url = proxyUrl(value);
  return url === undefined ? refused({ messageKey: 'protocol.web.setting.proxy', params: { key: context.key, value: redact(String(value)) } }) : accepted(url);
});

const notPemPath = say('protocol.web.setting.path', 'key');

export const webOptions = declareOptions([
  { name: 'ca', where: 'profile', type: localPathType(notPemPath), help: 'protocol.web.help.ca' },
  { name: 'cert', where: 'profile', type: localPathType(notPemPath), help: 'protocol.web.help.cert' },
  { name: 'key', where: 'profile', type: localPathType(notPemPath), help: 'protocol.web.help.key' },
  { name: 'passphrase', where: 'profile', type: textType(say('protocol.web.setting.text', 'key'), 'any'), secret: true, help: 'protocol.web.help.passphrase' },
  { name: 'insecure', where: 'profile', type: booleanType(say('protocol.web.setting.boolean', 'key')), default: false, help: 'protocol.web.help.insecure' },
  { name: 'timeout', where: 'profile', type: durationType(say('protocol.web.setting.timeout', 'key', 'value'), 'refused'), default: '120s', help: 'protocol.web.help.timeout' },
  { name: 'proxy', where: 'profile', type: proxyType, help: 'protocol.web.help.proxy' },
]);

/** A client certificate and its key go together. */
export function certWithKey({ blocks }: ReadContext): ProtocolSettingProblem[] {
  const { cert, key } = blocks.profile;
  if ((cert === undefined) === (key === undefined)) return [];
  const missing = cert === undefined ? 'cert' : 'key';
  return [{ where: 'profile', key: missing, messageKey: 'protocol.web.setting.certWithoutKey', params: { key: missing } }];
}

/**
 * A partner address: http(s), no credentials, and — unless `allowQuery` — no query or fragment,
 * since ordo adds its own parameters. `{name}` (the file's name) may appear where `allowName` says.
 */
export function webUrlComplaint(key: string, value: unknown, options: { allowQuery?: boolean; allowName?: boolean } = {}): Complaint | undefined {
  if (!isText(value)) return { key, messageKey: value === undefined ? 'protocol.web.setting.required' : 'protocol.web.url.invalid', params: { key, value: '' } };
  const text = options.allowName === true ? value.trim().replaceAll('{name}', 'name') : value.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { key, messageKey: 'protocol.web.url.invalid', params: { key, value: redact(value) } };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { key, messageKey: 'protocol.web.url.scheme', params: { key, value: redact(value) } };
  if (url.username !== '' || url.password !== '') return { key, messageKey: 'protocol.web.url.credentials', params: { key } };
  if (options.allowQuery !== true && (url.search !== '' || url.hash !== '')) return { key, messageKey: 'protocol.web.url.query', params: { key, value: redact(value) } };
  return undefined;
}
