// The configuration as the rest of ordo sees it, whatever syntax it was written in (JSON, YAML, INI).
// Durations are milliseconds; paths are absolute (resolved against the config file's folder).
import type { ConfigProblem } from '../shared/errors.js';
import type { Lang } from '../i18n/index.js';

export type IfExists = 'overwrite' | 'rename' | 'keep' | 'fail';

export interface NamingPlan {
  /** horodatage: received files get `_AAAAMMJJ_HHMMSS` before the extension. */
  timestamp: boolean;
  /** renommer: use `format` (timestamping then ignored). */
  rename: boolean;
  /** renommer_format, e.g. `LA[annee][numrec].020`. */
  format?: string;
  /** [RECHERCHE]: ordered (key contained in the received name → value of `[recherche]`). */
  search: Array<{ key: string; value: string }>;
}

export interface ProfileConfig {
  name: string;
  label?: string;
  insee?: string;
  /** `profiles.<P>.<protocol>` blocks, secrets resolved. */
  protocols: Record<string, Record<string, unknown>>;
}

export interface ReceiptSettings {
  everyMs: number;
  warnAfterMs: number;
}

export interface ScenarioConfig {
  name: string;
  enabled: boolean;
  profile: string;
  protocol: string;
  /** Folder watched for files to send (absent for retrieve-only scenarios). */
  source?: string;
  filter: string[];
  exclude: string[];
  settleMs: number;
  /** Send empty files too (skipped by default). */
  allowEmpty: boolean;
  /** Only take a file once `<file><doneMarker>` exists beside it (e.g. `.done`); the marker is removed after the claim. */
  doneMarker?: string;
  backup: { dir: string; ifExists: IfExists };
  delays: { sendMs: number; retrieveMs: number };
  retries: { attempts: number; backoffMs: number; maxDelayMs: number; maxTimeMs: number };
  retrieve: { enabled: boolean; afterSend: boolean; at: string[] };
  /**
   * Receipts that come later (`pending` sends, followed by later runs): ask the partner about one send at
   * most every `everyMs`; `diagnose` warns about one still pending after `warnAfterMs`. Absent: the
   * defaults (`receiptsOf`, config/build.ts); set only when the configuration writes `receipts`.
   */
  receipts?: ReceiptSettings;
  /** `diagnose` warns when the last completed transfer is older than this (absent: no expected rhythm). */
  expectEveryMs?: number;
  hooks: { before?: string; after?: string; timeoutMs: number };
  /** Overrides of the default naming plan (hconnect.ini) for this scenario's received files. */
  naming?: Partial<NamingPlan>;
  /** Protocol-specific per-scenario settings (`scenarios.<S>.options`). */
  options: Record<string, unknown>;
}

export interface Counters {
  /** Where the counters live: the automate.ini itself (`[DIR:REC] numrec`) or a JSON file under root. */
  kind: 'ini' | 'file';
  path: string;
}

export interface OrdoConfig {
  /** The file that was loaded (automate.ini, ordo.config.json, …). */
  file: string;
  /** Its folder: relative paths are resolved against it. */
  dir: string;
  format: 'json' | 'yaml' | 'ini';
  root: string;
  lang?: Lang;
  watch: { intervalMs: number };
  /** Default naming plan for received files (hconnect.ini beside automate.ini, or `naming` at the top). */
  naming: NamingPlan;
  counters: Counters;
  profiles: Record<string, ProfileConfig>;
  scenarios: Record<string, ScenarioConfig>;
  /** Every secret value resolved while loading, so that output and logs can mask them. */
  secrets: string[];
  /** What loads but deserves a look (`settle: 0s`…), found while loading; shown by `config check`. */
  warnings?: ConfigProblem[];
}
