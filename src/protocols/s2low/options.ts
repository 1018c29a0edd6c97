// The `s2low` protocol's keys: the profile's block (`profiles.<P>.s2low`: S²LOW's address, the client
// certificate — one PKCS#12 file or PEM files —, the login when several accounts share the certificate,
// and the connection keys shared with `http` and `xfb`) and the scenario's options (PES check, what
// becomes of a PES Retour once received). Described in docs/protocols/s2low.md.
import type { ProtocolSettingProblem } from '../contract.js';
import { accepted, booleanType, customType, declareProtocol, enumType, localPathType, refused, say, textType, type ReadContext } from '../options.js';
import { webOptions, webUrlComplaint } from '../web/options.js';

const required = say('protocol.web.setting.required', 'key');
const notText = say('protocol.web.setting.text', 'key');

/** S²LOW's address (`https://s2low.example.fr`): no query, no credentials; the API paths are added to it. */
const s2lowUrlType = customType('url', (value, context) => {
  const complaint = webUrlComplaint(context.key, value);
  return complaint === undefined ? accepted(new URL(String(value).trim())) : refused(complaint);
});

export const S2LOW_AFTER_RETRIEVE = ['markRead', 'keep'] as const;
export type S2lowAfterRetrieve = (typeof S2LOW_AFTER_RETRIEVE)[number];

export const s2lowDeclaration = declareProtocol({
  name: 's2low',
  capabilities: ['send', 'follow', 'list', 'fetch', 'acknowledge', 'check'],
  // PES Retour are the account's: there is no folder to name, every scenario with retrieval reads them.
  features: { usesInbox: false },
  options: [
    { name: 'url', where: 'profile', type: s2lowUrlType, required: true, missing: required, help: 'protocol.s2low.help.url' },
    { name: 'pfx', where: 'profile', type: localPathType(say('protocol.s2low.setting.pfx', 'key')), help: 'protocol.s2low.help.pfx' },
    { name: 'pfxPassword', where: 'profile', type: textType(notText, 'any'), secret: true, help: 'protocol.s2low.help.pfxPassword' },
    { name: 'user', where: 'profile', type: textType(notText, 'notEmpty'), help: 'protocol.s2low.help.user' },
    { name: 'password', where: 'profile', type: textType(notText, 'any'), secret: true, help: 'protocol.s2low.help.password' },
    ...webOptions,
    { name: 'checkPes', where: 'options', type: booleanType(say('protocol.web.setting.boolean', 'key')), default: true, help: 'protocol.s2low.help.checkPes' },
    {
      name: 'afterRetrieve',
      where: 'options',
      type: enumType(S2LOW_AFTER_RETRIEVE, say('protocol.s2low.setting.afterRetrieve', 'value')),
      default: 'markRead',
      help: 'protocol.s2low.help.afterRetrieve',
    },
  ],
  checks: [oneCertificate, userWithPassword],
});

/** S²LOW refuses every connection without a client certificate: exactly one, as PKCS#12 or as PEM files. */
function oneCertificate({ blocks }: ReadContext): ProtocolSettingProblem[] {
  const { pfx, pfxPassword, cert, key, passphrase } = blocks.profile;
  const pem = cert !== undefined || key !== undefined;
  if (pfx !== undefined && pem) return [{ where: 'profile', key: 'pfx', messageKey: 'protocol.s2low.setting.twoCertificates', params: { key: 'pfx' } }];
  if (pfx === undefined && !pem) return [{ where: 'profile', key: 'pfx', messageKey: 'protocol.s2low.setting.noCertificate', params: { key: 'pfx' }, fixKey: 'protocol.s2low.setting.noCertificate.fix' }];
  if (pem && (cert === undefined || key === undefined)) {
    const missing = cert === undefined ? 'cert' : 'key';
    return [{ where: 'profile', key: missing, messageKey: 'protocol.web.setting.certWithoutKey', params: { key: missing } }];
  }
  if (pfx !== undefined && passphrase !== undefined) return [{ where: 'profile', key: 'passphrase', messageKey: 'protocol.s2low.setting.passphraseWithPfx', params: { key: 'passphrase' } }];
  if (pfx === undefined && pfxPassword !== undefined) return [{ where: 'profile', key: 'pfxPassword', messageKey: 'protocol.s2low.setting.pfxPasswordAlone', params: { key: 'pfxPassword' } }];
  return [];
}

/** The login goes with its password. */
function userWithPassword({ blocks }: ReadContext): ProtocolSettingProblem[] {
  const { user, password } = blocks.profile;
  if ((user === undefined) === (password === undefined)) return [];
  const missing = user === undefined ? 'user' : 'password';
  return [{ where: 'profile', key: missing, messageKey: 'protocol.s2low.setting.userWithPassword', params: { key: missing } }];
}
