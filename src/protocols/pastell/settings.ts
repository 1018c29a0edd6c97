// The `pastell` protocol's validated keys (pastell/options.ts) turned into the settings its sessions
// work with: the API's address, the entity, how to authenticate, and the preset (or the custom table).
import type { AfterRetrieve } from '../common/retrieval-options.js';
import { readSettings } from '../options.js';
import { resolveWebSettings, type WebSettings } from '../web/settings.js';
import { pastellDeclaration } from './options.js';
import { PRESETS, ROUTE_OPTIONS, type Preset, type PresetName } from './presets.js';

export interface PastellSettings {
  /** `<url>/api/v2`, without a trailing slash. */
  api: URL;
  /** The entity (`id_e`) documents are created in and listed from. */
  entity: string;
  /** The `Authorization` header's value (a secret). */
  authorization: string;
  presetName: PresetName;
  preset: Preset;
  /** The checkbox fields the route options set (`on` / `off`), then the scenario's `fields` (filled when a file is sent: field-values.ts). */
  fields: Array<[string, string]>;
  /** The profile's name (`[nomprofil]` in field values). */
  profileName: string;
  /** A template of the document's title (`{name}`, `{stem}`, `{nomfic}`); undefined: the PES's NomFic, else the file name without extension. */
  subject: string | undefined;
  /** The document type retrieved (PES Retour), when the scenario names one. */
  inbox: string | undefined;
  afterRetrieve: AfterRetrieve;
  web: WebSettings;
}

/** Call only on settings `settingProblems` found nothing wrong with. */
export function resolvePastellSettings(profile: Record<string, unknown>, options: Record<string, unknown>, configDir: string, profileName = ''): PastellSettings {
  const read = readSettings(pastellDeclaration.options, { profile, options }, configDir);
  const { url, entity, user, password, token } = read.profile;
  const api = new URL(url.href);
  api.pathname = `${api.pathname.replace(/\/+$/, '')}/api/v2`;
  const authorization = token !== undefined ? `Bearer ${token}` : `Basic ${Buffer.from(`${user ?? ''}:${password ?? ''}`, 'utf8').toString('base64')}`;
  const o = read.options;
  const presetName = o.type;
  const preset: Preset =
    presetName === 'custom'
      ? {
          documentType: o.documentType ?? '',
          fileField: o.fileField ?? '',
          action: o.action ?? '',
          route: {},
          pes: false,
          acknowledgedStates: o.acknowledgedStates ?? [],
          refusedStates: o.refusedStates ?? [],
          errorStates: o.errorStates ?? ['tdt-error', 'fatal-error'],
          receiptField: o.receiptField,
          ackField: o.ackField,
        }
      : { ...PRESETS[presetName], ...(o.receiptField === undefined ? {} : { receiptField: o.receiptField }), ...(o.ackField === undefined ? {} : { ackField: o.ackField }) };
  const routeValues: Record<(typeof ROUTE_OPTIONS)[number], boolean> = { envoi_signature: o.envoi_signature, envoi_tdt: o.envoi_tdt, envoi_ged: o.envoi_ged, envoi_sae: o.envoi_sae };
  const fields: Array<[string, string]> = [];
  for (const option of ROUTE_OPTIONS) {
    const field = preset.route[option];
    if (field !== undefined) fields.push([field, routeValues[option] ? 'on' : 'off']);
  }
  fields.push(...(o.fields ?? []));
  return {
    api,
    entity,
    authorization,
    presetName,
    preset,
    fields,
    profileName,
    subject: o.subject,
    inbox: o.inbox,
    afterRetrieve: o.afterRetrieve,
    web: resolveWebSettings(profile, configDir),
  };
}
