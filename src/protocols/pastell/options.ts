// The `pastell` protocol's keys: the profile's block (`profiles.<P>.pastell`: the server, the entity,
// the credentials, and the connection keys shared with `xfb` and `http`) and the scenario's options
// (which preset, the route checkboxes, the document's title, a custom type, the PES Retour inbox).
// Described in docs/protocols/pastell.md.
import type { ProtocolSettingProblem } from '../contract.js';
import { afterRetrieveType, parseAfterRetrieve } from '../common/retrieval-options.js';
import { accepted, booleanType, customType, declareProtocol, enumType, isText, listType, refused, say, textType, type ReadContext } from '../options.js';
import { certWithKey, webOptions, webUrlComplaint } from '../web/options.js';
import { PRESET_NAMES } from './presets.js';
import { FIELD_TOKENS, unusableFieldTokens } from './field-values.js';

const required = say('protocol.web.setting.required', 'key');
const notText = say('protocol.web.setting.text', 'key');
const notBoolean = say('protocol.web.setting.boolean', 'key');
const notName = say('protocol.pastell.setting.name', 'key', 'value');

/** The server's address (`https://pastell.example`), without /api/v2, query or credentials. */
const serverUrlType = customType('url', (value, context) => {
  const complaint = webUrlComplaint(context.key, value);
  return complaint === undefined ? accepted(new URL(String(value).trim())) : refused(complaint);
});

/** An entity id (`id_e`): digits. */
const entityType = customType('text', (value, context) => {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  return /^\d{1,10}$/.test(text) ? accepted(text) : refused({ messageKey: 'protocol.pastell.setting.entity', params: { key: context.key, value: String(value) } });
});

/** A Pastell name (document type, field, action, state): lower-case letters, digits, `-` and `_`. */
const pastellNameType = customType('text', (value, context) =>
  isText(value) && /^[a-z0-9_-]{1,64}$/.test(value.trim()) ? accepted(value.trim()) : refused(notName(context.key, value)),
);

/**
 * Fields to set on the document: `field = value`, where `{name}` and `{stem}` stand for the file's name
 * (without extension) and the naming plan's variables of the moment and the file (`[annee]`, `[mois]`,
 * `[jour]`, `[heure]`, `[min]`, `[sec]`, `[nomprofil]`, `[nomfic]`, `[ext]`) are filled when the file is sent.
 */
const fieldsType = customType('group', (value, context) => {
  const entries = typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.entries(value as Record<string, unknown>) : undefined;
  if (entries === undefined || !entries.every(([name, field]) => /^[a-z0-9_]{1,64}$/.test(name) && (typeof field === 'string' || typeof field === 'number' || typeof field === 'boolean'))) {
    return refused({ messageKey: 'protocol.pastell.setting.fields', params: { key: context.key } });
  }
  const values = entries.map(([name, field]): [string, string] => [name, String(field)]);
  for (const [name, field] of values) {
    const [token] = unusableFieldTokens(field);
    if (token !== undefined) return refused({ messageKey: 'protocol.pastell.setting.fieldToken', params: { key: `${context.key}.${name}`, token, tokens: FIELD_TOKENS.map((t) => `[${t}]`).join(' ') } });
  }
  return accepted(values);
});

export const pastellDeclaration = declareProtocol({
  name: 'pastell',
  capabilities: ['send', 'follow', 'verify', 'list', 'fetch', 'acknowledge', 'check'],
  features: { usesInbox: true },
  options: [
    { name: 'url', where: 'profile', type: serverUrlType, required: true, missing: required, help: 'protocol.pastell.help.url' },
    { name: 'entity', where: 'profile', type: entityType, required: true, missing: required, help: 'protocol.pastell.help.entity' },
    { name: 'user', where: 'profile', type: textType(notText, 'notEmpty'), help: 'protocol.pastell.help.user' },
    { name: 'password', where: 'profile', type: textType(notText, 'notEmpty'), secret: true, help: 'protocol.pastell.help.password' },
    { name: 'token', where: 'profile', type: textType(notText), secret: true, help: 'protocol.pastell.help.token' },
    ...webOptions,
    { name: 'type', where: 'options', type: enumType(PRESET_NAMES, say('protocol.pastell.setting.type', 'key', 'value')), default: 'helios-generique', help: 'protocol.pastell.help.type' },
    { name: 'subject', where: 'options', type: textType(notText), help: 'protocol.pastell.help.subject' },
    { name: 'envoi_signature', where: 'options', type: booleanType(notBoolean), default: false, help: 'protocol.pastell.help.envoi_signature' },
    { name: 'envoi_tdt', where: 'options', type: booleanType(notBoolean), default: true, help: 'protocol.pastell.help.envoi_tdt' },
    { name: 'envoi_ged', where: 'options', type: booleanType(notBoolean), default: false, help: 'protocol.pastell.help.envoi_ged' },
    { name: 'envoi_sae', where: 'options', type: booleanType(notBoolean), default: false, help: 'protocol.pastell.help.envoi_sae' },
    { name: 'fields', where: 'options', type: fieldsType, help: 'protocol.pastell.help.fields' },
    { name: 'documentType', where: 'options', type: pastellNameType, help: 'protocol.pastell.help.documentType' },
    { name: 'fileField', where: 'options', type: pastellNameType, help: 'protocol.pastell.help.fileField' },
    { name: 'action', where: 'options', type: pastellNameType, help: 'protocol.pastell.help.action' },
    { name: 'acknowledgedStates', where: 'options', type: listType(notText), help: 'protocol.pastell.help.acknowledgedStates' },
    { name: 'refusedStates', where: 'options', type: listType(notText), help: 'protocol.pastell.help.refusedStates' },
    { name: 'errorStates', where: 'options', type: listType(notText), help: 'protocol.pastell.help.errorStates' },
    { name: 'receiptField', where: 'options', type: pastellNameType, help: 'protocol.pastell.help.receiptField' },
    { name: 'ackField', where: 'options', type: pastellNameType, help: 'protocol.pastell.help.ackField' },
    { name: 'inbox', where: 'options', type: pastellNameType, help: 'protocol.pastell.help.inbox' },
    { name: 'afterRetrieve', where: 'options', type: afterRetrieveType(say('protocol.pastell.setting.afterRetrieve', 'value')), default: 'delete', help: 'protocol.pastell.help.afterRetrieve' },
  ],
  checks: [certWithKey, credentials, customNeeds, afterRetrieveChoices],
});

/** A token (Bearer), or a user and a password (Basic). */
function credentials({ blocks }: ReadContext): ProtocolSettingProblem[] {
  const { token, user, password } = blocks.profile;
  if (token !== undefined) return user !== undefined || password !== undefined ? [{ where: 'profile', key: 'token', messageKey: 'protocol.pastell.setting.twoCredentials' }] : [];
  if (user === undefined && password === undefined) return [{ where: 'profile', key: 'token', messageKey: 'protocol.pastell.setting.credentials', fixKey: 'protocol.pastell.setting.credentials.fix' }];
  const missing = user === undefined ? 'user' : password === undefined ? 'password' : undefined;
  return missing === undefined ? [] : [{ where: 'profile', key: missing, messageKey: 'protocol.web.setting.required', params: { key: missing } }];
}

/** `type = custom` says which document type, file field, action and end states. */
function customNeeds({ blocks }: ReadContext): ProtocolSettingProblem[] {
  const type = blocks.options.type;
  if (typeof type !== 'string' || type.trim().toLowerCase() !== 'custom') return [];
  return ['documentType', 'fileField', 'action', 'acknowledgedStates']
    .filter((key) => blocks.options[key] === undefined)
    .map((key) => ({ where: 'options', key, messageKey: 'protocol.pastell.setting.customNeeds', params: { key } }));
}

/** A Pastell document is deleted or kept: there is no folder to move it to. */
function afterRetrieveChoices({ blocks }: ReadContext): ProtocolSettingProblem[] {
  const after = parseAfterRetrieve(blocks.options.afterRetrieve);
  return after?.action === 'move' ? [{ where: 'options', key: 'afterRetrieve', messageKey: 'protocol.pastell.setting.afterRetrieve', params: { value: String(blocks.options.afterRetrieve) } }] : [];
}
