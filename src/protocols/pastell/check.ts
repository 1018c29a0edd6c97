// `pastell` diagnose: the connection checks every HTTP protocol shares (name, TCP or proxy, TLS
// certificate), then Pastell's own: the API answers (/version) with these credentials, the entity is
// visible to this account, and the document types the scenario uses exist on this Pastell. Nothing is
// written: a write probe would leave a document (and journal lines) behind.
import { isTransferError, type CheckResult, type TransferError } from '../contract.js';
import { connectionChecks } from '../web/check.js';
import type { WebClient } from '../web/client.js';
import { PastellApi } from './api.js';
import type { PastellSettings } from './settings.js';

interface Version {
  version?: string;
  version_complete?: string;
}

export async function checkPastell(client: WebClient, settings: PastellSettings): Promise<CheckResult[]> {
  // One request on new, watched connections (a second new connection would resume the TLS session and
  // show no certificate); the rest through the session's own.
  const results = await connectionChecks(client, settings.api, 'pastell', async (fresh) => {
    const api = new PastellApi(fresh, settings);
    let version: Version;
    try {
      version = await api.json<Version>('GET', api.address(['version']), 'version');
    } catch (error) {
      if (isTransferError(error) && (error.key === 'protocol.pastell.authRefused' || error.key === 'protocol.pastell.forbidden')) return [failed('pastell.credentials', error)];
      throw error;
    }
    return [
      { id: 'pastell.credentials', status: 'ok', key: 'protocol.pastell.check.credentialsOk', params: { host: api.host, auth: settings.authorization.startsWith('Bearer') ? 'token' : 'user' } },
      { id: 'pastell.version', status: 'ok', key: 'protocol.pastell.check.versionOk', params: { version: version.version_complete ?? version.version ?? '?' } },
    ];
  });
  if (!results.some((result) => result.id === 'pastell.version')) return results;
  const api = new PastellApi(client, settings);
  let visible: Array<{ id_e?: unknown; denomination?: unknown }>;
  try {
    const entities = await api.json<unknown>('GET', api.address(['entite']), 'entities');
    visible = Array.isArray(entities) ? (entities as typeof visible) : [];
  } catch (error) {
    if (!isTransferError(error)) throw error;
    return [...results, failed('pastell.entity', error)];
  }
  const mine = visible.find((entity) => String(entity.id_e) === settings.entity);
  if (mine === undefined) {
    const params = { entity: settings.entity, visible: visible.map((entity) => String(entity.id_e)).join(', ') || '—' };
    return [...results, { id: 'pastell.entity', status: 'fail', key: 'protocol.pastell.check.entityMissing', params, fixKey: 'protocol.pastell.check.entityMissing.fix' }];
  }
  results.push({ id: 'pastell.entity', status: 'ok', key: 'protocol.pastell.check.entityOk', params: { entity: settings.entity, denomination: typeof mine.denomination === 'string' ? mine.denomination : '' } });
  let known: string[];
  try {
    const types = await api.json<unknown>('GET', api.address(['flux']), 'types');
    known = typeof types === 'object' && types !== null ? Object.keys(types) : [];
  } catch (error) {
    if (!isTransferError(error)) throw error;
    return [...results, failed('pastell.types', error)];
  }
  const wanted = [settings.preset.documentType, ...(settings.inbox === undefined ? [] : [settings.inbox])].filter((type) => type !== '');
  for (const type of wanted) {
    results.push(
      known.includes(type)
        ? { id: `pastell.type.${type}`, status: 'ok', key: 'protocol.pastell.check.typeOk', params: { type } }
        : { id: `pastell.type.${type}`, status: 'fail', key: 'protocol.pastell.check.typeMissing', params: { type }, fixKey: 'protocol.pastell.check.typeMissing.fix' },
    );
  }
  return results;
}

function failed(id: string, error: TransferError): CheckResult {
  return { id, status: 'fail', key: error.key, params: error.params, ...(error.fixKey === undefined ? {} : { fixKey: error.fixKey }) };
}
