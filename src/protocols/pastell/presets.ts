// The document types ordo knows how to send through Pastell, as data: which type to create, which
// field takes the file, which checkbox fields the route options set, which action sends, and which
// states mean what once Pastell (its daemon, the TdT) has worked on the document. `custom` builds the
// same table from the scenario's options. Described in docs/protocols/pastell.md ("Presets").

export const PRESET_NAMES = ['helios-generique', 'ls-helios', 'actes-generique', 'custom'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

/** The route options (scenario options), each a checkbox of the document ("Cheminement"). */
export const ROUTE_OPTIONS = ['envoi_signature', 'envoi_tdt', 'envoi_ged', 'envoi_sae'] as const;
export type RouteOption = (typeof ROUTE_OPTIONS)[number];

export interface Preset {
  documentType: string;
  /** The file field that takes the file sent. */
  fileField: string;
  /** The action that sends the document on (what ordo triggers last). */
  action: string;
  /** The checkbox field each route option sets (none for `custom`: set them through `fields`). */
  route: Partial<Record<RouteOption, string>>;
  /** The file must be a PES Aller (refused before anything is created otherwise). */
  pes: boolean;
  /** End states that mean "done"; with `ackField`, its value says acknowledged (1) or refused (2). */
  acknowledgedStates: readonly string[];
  /** End states that mean "refused" (the reason is the state's message). */
  refusedStates: readonly string[];
  /** End states that mean "an error on Pastell's or the TdT's side". */
  errorStates: readonly string[];
  /** The file field holding the partner's receipt (the PES Acquit), if any. */
  receiptField: string | undefined;
  /** The field holding the acknowledgement state (`etat_ack`: 1 OK, 2 KO), if any. */
  ackField: string | undefined;
}

export const PRESETS: Record<Exclude<PresetName, 'custom'>, Preset> = {
  'helios-generique': {
    documentType: 'helios-generique',
    fileField: 'fichier_pes',
    action: 'send-tdt',
    route: { envoi_signature: 'envoi_signature_check', envoi_tdt: 'envoi_tdt', envoi_ged: 'envoi_ged', envoi_sae: 'envoi_sae' },
    pes: true,
    // info-tdt since Pastell 3.0 for every answer of S²LOW (etat_ack tells OK / KO); acquiter-tdt / refus-tdt in 2.0.
    acknowledgedStates: ['info-tdt', 'acquiter-tdt'],
    refusedStates: ['refus-tdt'],
    errorStates: ['tdt-error', 'fatal-error'],
    receiptField: 'fichier_reponse',
    ackField: 'etat_ack',
  },
  'ls-helios': {
    documentType: 'ls-helios',
    fileField: 'fichier_pes',
    action: 'orientation',
    route: { envoi_signature: 'envoi_signature', envoi_tdt: 'envoi_tdt_helios', envoi_ged: 'envoi_depot', envoi_sae: 'envoi_sae' },
    pes: true,
    acknowledgedStates: ['termine'],
    refusedStates: [],
    errorStates: ['tdt-error', 'transformation-error', 'fatal-error'],
    receiptField: 'pes_acquit',
    ackField: 'pes_etat_ack',
  },
  'actes-generique': {
    documentType: 'actes-generique',
    fileField: 'arrete',
    action: 'send-tdt',
    route: { envoi_signature: 'envoi_signature', envoi_tdt: 'envoi_tdt', envoi_ged: 'envoi_ged', envoi_sae: 'envoi_sae' },
    pes: false,
    acknowledgedStates: ['acquiter-tdt'],
    refusedStates: ['refus-tdt'],
    errorStates: ['tdt-error', 'fatal-error'],
    receiptField: 'aractes',
    ackField: undefined,
  },
};

/** States in which the document can still be edited: the sending action has not been triggered. */
export const EDITABLE_STATES: readonly string[] = ['creation', 'modification'];
