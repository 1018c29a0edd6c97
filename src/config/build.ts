// From a valid tree to the OrdoConfig every other module reads: defaults applied, durations in
// milliseconds, paths absolute.
import { dirname, join, resolve } from 'node:path';
import { DEFAULTS } from './defaults.js';
import type { NamingPlan, OrdoConfig, ProfileConfig, ReceiptSettings, ScenarioConfig } from './model.js';
import type { ConfigFormat } from './read-source.js';
import { isPlainObject, type ParsedConfig, type ParsedNaming, type ParsedScenario } from './schema.js';

export interface BuildSource {
  file: string;
  format: ConfigFormat;
  secrets: Iterable<string>;
}

export function buildConfig(parsed: ParsedConfig, source: BuildSource): OrdoConfig {
  const dir = dirname(source.file);
  // Relative paths are relative to the configuration's folder; absolute ones (C:\taskauto on Windows) stay.
  const path = (value: string) => resolve(dir, value);
  const root = path(parsed.root ?? DEFAULTS.root);
  const config: OrdoConfig = {
    file: source.file,
    dir,
    format: source.format,
    root,
    watch: { intervalMs: parsed.watch?.interval ?? DEFAULTS.watchIntervalMs },
    naming: buildNamingPlan(parsed.naming),
    counters:
      source.format === 'ini' ? { kind: 'ini', path: source.file } : { kind: 'file', path: join(root, DEFAULTS.countersFile) },
    profiles: {},
    scenarios: {},
    secrets: [...new Set(source.secrets)],
  };
  if (parsed.lang !== undefined) config.lang = parsed.lang;
  for (const [name, profile] of Object.entries(parsed.profiles ?? {})) config.profiles[name] = buildProfile(name, profile);
  for (const [name, scenario] of Object.entries(parsed.scenarios ?? {})) {
    config.scenarios[name] = buildScenario(name, scenario, root, path);
  }
  return config;
}

function buildNamingPlan(naming: ParsedNaming | undefined): NamingPlan {
  const plan: NamingPlan = {
    timestamp: naming?.timestamp ?? DEFAULTS.naming.timestamp,
    rename: naming?.rename ?? DEFAULTS.naming.rename,
    search: naming?.search ?? [],
  };
  if (naming?.format !== undefined) plan.format = naming.format;
  return plan;
}

function buildProfile(name: string, profile: NonNullable<ParsedConfig['profiles']>[string]): ProfileConfig {
  const { label, insee, ...blocks } = profile;
  const result: ProfileConfig = { name, protocols: {} };
  if (label !== undefined) result.label = label;
  if (insee !== undefined) result.insee = insee;
  for (const [protocol, block] of Object.entries(blocks)) {
    if (isPlainObject(block)) result.protocols[protocol] = block;
  }
  return result;
}

function buildScenario(name: string, s: ParsedScenario, root: string, path: (value: string) => string): ScenarioConfig {
  const d = DEFAULTS.scenario;
  const scenario: ScenarioConfig = {
    name,
    enabled: s.enabled ?? d.enabled,
    profile: s.profile,
    protocol: s.protocol,
    filter: s.filter !== undefined && s.filter.length > 0 ? s.filter : [...d.filter],
    exclude: s.exclude ?? [...d.exclude],
    settleMs: s.settle ?? d.settleMs,
    allowEmpty: s.allowEmpty ?? d.allowEmpty,
    backup: {
      dir: s.backup?.dir !== undefined ? path(s.backup.dir) : join(root, 'backup', name),
      ifExists: s.backup?.ifExists ?? d.ifExists,
    },
    delays: { sendMs: s.delays?.send ?? d.sendDelayMs, retrieveMs: s.delays?.retrieve ?? d.retrieveDelayMs },
    retries: {
      attempts: s.retries?.attempts ?? d.attempts,
      backoffMs: s.retries?.backoff ?? d.backoffMs,
      maxDelayMs: s.retries?.maxDelay ?? d.maxDelayMs,
      maxTimeMs: s.retries?.maxTime ?? d.maxTimeMs,
    },
    retrieve: {
      enabled: s.retrieve?.enabled ?? d.retrieveEnabled,
      afterSend: s.retrieve?.afterSend ?? d.retrieveAfterSend,
      at: s.retrieve?.at ?? [...d.retrieveAt],
    },
    hooks: { timeoutMs: s.hooks?.timeout ?? d.hookTimeoutMs },
    options: s.options ?? {},
  };
  if (s.source !== undefined) scenario.source = path(s.source);
  if (s.doneMarker !== undefined) scenario.doneMarker = s.doneMarker;
  if (s.hooks?.before !== undefined) scenario.hooks.before = s.hooks.before;
  if (s.hooks?.after !== undefined) scenario.hooks.after = s.hooks.after;
  const naming = partialNaming(s.naming);
  if (naming !== undefined) scenario.naming = naming;
  if (s.expectEvery !== undefined) scenario.expectEveryMs = s.expectEvery;
  if (s.receipts !== undefined) {
    scenario.receipts = { everyMs: s.receipts.every ?? RECEIPT_DEFAULTS.everyMs, warnAfterMs: s.receipts.warnAfter ?? RECEIPT_DEFAULTS.warnAfterMs };
  }
  return scenario;
}

/** Defaults of `receipts` (docs/configuration.md): ask about one pending send at most every 10 minutes; warn after 48 hours. */
export const RECEIPT_DEFAULTS: Readonly<ReceiptSettings> = { everyMs: 600_000, warnAfterMs: 48 * 3_600_000 };

/** A scenario's receipt settings, defaults filled in. */
export function receiptsOf(scenario: Pick<ScenarioConfig, 'receipts'>): ReceiptSettings {
  return scenario.receipts ?? { ...RECEIPT_DEFAULTS };
}

function partialNaming(naming: ParsedNaming | undefined): Partial<NamingPlan> | undefined {
  if (naming === undefined) return undefined;
  const partial: Partial<NamingPlan> = {};
  if (naming.timestamp !== undefined) partial.timestamp = naming.timestamp;
  if (naming.rename !== undefined) partial.rename = naming.rename;
  if (naming.format !== undefined) partial.format = naming.format;
  if (naming.search !== undefined) partial.search = naming.search;
  return Object.keys(partial).length > 0 ? partial : undefined;
}
