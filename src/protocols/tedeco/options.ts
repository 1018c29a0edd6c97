// The `tedeco` protocol's keys: the profile's agent (`profiles.<P>.tedeco`: spool, alias, ead) and the
// scenario's request (`scenarios.<S>.options`). Described in docs/protocols/tedeco.md.
import { firstUnencodable } from '../../shared/windows-1252.js';
import { folderFilterType } from '../common/folder-settings.js';
import {
  accepted,
  customType,
  declareProtocol,
  durationType,
  enumType,
  integerType,
  isText,
  localPathType,
  refused,
  say,
  type Complaint,
} from '../options.js';
import { rfaTokenList, rfaTokenProblems, type RequestType } from './rfa.js';

/** The EAD names a folder and is every spool file's extension: letters, digits, `_` and `-` only. */
const EAD = /^[A-Za-z0-9_-]{1,32}$/;
const COMPRESSION = /^[A-Za-z0-9_-]{1,32}$/;
const REQUEST_TYPES: readonly RequestType[] = ['etatcivil', 'elections'];

const requestType = enumType(REQUEST_TYPES, say('protocol.tedeco.option.type', 'value'));

/** Values go into one `key=value` line of a Windows-1252 file. */
function lineComplaints(key: string, value: string): Complaint[] {
  if (/[\u0000-\u001f\u007f]/.test(value)) return [{ messageKey: 'protocol.tedeco.controlChar', params: { key } }];
  const char = firstUnencodable(value);
  return char === undefined ? [] : [{ messageKey: 'protocol.tedeco.notEncodable', params: { key, char } }];
}

const aliasType = customType('text', (value, context) => {
  if (!isText(value)) return refused({ messageKey: 'protocol.tedeco.profile.alias' });
  const complaints = lineComplaints(context.key, value);
  return complaints.length === 0 ? accepted(value.trim()) : refused(...complaints);
});

const eadType = customType('name', (value) => {
  if (value === '') return refused({ messageKey: 'protocol.tedeco.profile.eadMissing' });
  if (typeof value !== 'string' || !EAD.test(value.trim())) return refused({ messageKey: 'protocol.tedeco.profile.ead', params: { value: String(value) } });
  return accepted(value.trim());
});

/** A template of `[token]`s, each of which must have a value in a request of the scenario's type. */
const rfaType = customType('template', (value, context) => {
  if (typeof value !== 'string') return refused({ messageKey: 'protocol.tedeco.option.rfa' });
  const typeReading = requestType.read(context.blocks.options.type, context);
  const type = typeReading.ok ? typeReading.value : undefined;
  const complaints = [
    ...rfaTokenProblems(value, type).map((found) => ({
      messageKey: found.reason === 'unknown' ? 'protocol.tedeco.option.rfaToken' : 'protocol.tedeco.option.rfaTokenType',
      params: { token: found.token, tokens: rfaTokenList(), type: type ?? '' },
    })),
    ...lineComplaints(context.key, value),
  ];
  return complaints.length === 0 ? accepted(value.trim()) : refused(...complaints);
});

const compressionType = customType('name', (value) => {
  if (typeof value === 'string' && COMPRESSION.test(value.trim())) return accepted(value.trim());
  return refused({ messageKey: 'protocol.tedeco.option.compression', params: { value: String(value) } });
});

export const tedecoDeclaration = declareProtocol({
  name: 'tedeco',
  capabilities: ['send', 'verify', 'list', 'fetch', 'acknowledge', 'check'],
  features: { usesInbox: false },
  options: [
    {
      name: 'spool',
      where: 'profile',
      type: localPathType(say('protocol.tedeco.profile.spool')),
      required: true,
      missing: say('protocol.tedeco.profile.spool'),
      help: 'protocol.tedeco.help.spool',
    },
    { name: 'alias', where: 'profile', type: aliasType, required: true, missing: say('protocol.tedeco.profile.alias'), help: 'protocol.tedeco.help.alias' },
    { name: 'ead', where: 'profile', type: eadType, required: true, missing: say('protocol.tedeco.profile.eadMissing'), help: 'protocol.tedeco.help.ead' },
    { name: 'type', where: 'options', type: requestType, required: true, missing: say('protocol.tedeco.option.typeMissing'), help: 'protocol.tedeco.help.type' },
    {
      name: 'recordLength',
      where: 'options',
      type: integerType(say('protocol.tedeco.option.recordLength', 'value'), { min: 1 }),
      required: true,
      missing: say('protocol.tedeco.option.recordLengthMissing'),
      help: 'protocol.tedeco.help.recordLength',
    },
    { name: 'rfa', where: 'options', type: rfaType, help: 'protocol.tedeco.help.rfa' },
    { name: 'compression', where: 'options', type: compressionType, default: 'LempelZiv', help: 'protocol.tedeco.help.compression' },
    { name: 'year', where: 'options', type: integerType(say('protocol.tedeco.option.year', 'value'), { min: 1900, max: 2999 }), help: 'protocol.tedeco.help.year' },
    {
      name: 'staleRequestAge',
      where: 'options',
      type: durationType(say('protocol.tedeco.option.staleRequestAge', 'value'), 'refused'),
      default: '24h',
      help: 'protocol.tedeco.help.staleRequestAge',
    },
    { name: 'filter', where: 'options', type: folderFilterType, help: 'protocol.tedeco.help.filter' },
  ],
  checks: [],
});
