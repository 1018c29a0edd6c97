// `ordo config show`: the effective configuration, with the public key names (docs/configuration.md), defaults
// filled in, durations readable and every secret masked: the keys protocols declare secret, secret values
// wherever they appear, and (redactDeep) secret-looking names no declaration covers.
import { isDeclaredSecret, registryEntry } from '../protocols/registry.js';
import type { OptionPlace } from '../protocols/options.js';
import { redactDeep, SECRET_MASK } from '../shared/redact.js';
import { formatDuration } from '../shared/duration.js';
import type { NamingPlan, OrdoConfig, ProfileConfig, ScenarioConfig } from './model.js';
import { receiptsOf } from './build.js';

export function effectiveConfig(config: OrdoConfig): Record<string, unknown> {
  const shown = {
    file: config.file,
    format: config.format,
    root: config.root,
    lang: config.lang,
    watch: { interval: formatDuration(config.watch.intervalMs) },
    naming: showNaming(config.naming),
    counters: { ...config.counters },
    profiles: Object.fromEntries(Object.entries(config.profiles).map(([name, p]) => [name, showProfile(p)])),
    scenarios: Object.fromEntries(Object.entries(config.scenarios).map(([name, s]) => [name, showScenario(s)])),
  };
  return redactDeep(maskKnownSecrets(withoutUndefined(shown), config.secrets)) as Record<string, unknown>;
}

function showNaming(naming: Partial<NamingPlan>): Record<string, unknown> {
  return { timestamp: naming.timestamp, rename: naming.rename, format: naming.format, search: naming.search };
}

function showProfile(profile: ProfileConfig): Record<string, unknown> {
  const blocks = Object.entries(profile.protocols).map(([protocol, block]): [string, unknown] => [protocol, maskDeclaredSecrets(protocol, 'profile', block)]);
  return { label: profile.label, insee: profile.insee, ...Object.fromEntries(blocks) };
}

function showScenario(s: ScenarioConfig): Record<string, unknown> {
  return {
    enabled: s.enabled,
    profile: s.profile,
    protocol: s.protocol,
    source: s.source,
    filter: s.filter,
    exclude: s.exclude,
    settle: formatDuration(s.settleMs),
    allowEmpty: s.allowEmpty,
    doneMarker: s.doneMarker,
    backup: { ...s.backup },
    delays: { send: formatDuration(s.delays.sendMs), retrieve: formatDuration(s.delays.retrieveMs) },
    retries: {
      attempts: s.retries.attempts,
      backoff: formatDuration(s.retries.backoffMs),
      maxDelay: formatDuration(s.retries.maxDelayMs),
      maxTime: formatDuration(s.retries.maxTimeMs),
    },
    retrieve: { ...s.retrieve },
    receipts: followsReceipts(s.protocol) ? showReceipts(s) : undefined,
    expectEvery: s.expectEveryMs === undefined ? undefined : formatDuration(s.expectEveryMs),
    hooks: { before: s.hooks.before, after: s.hooks.after, timeout: formatDuration(s.hooks.timeoutMs) },
    naming: s.naming === undefined ? undefined : withoutUndefined(showNaming(s.naming)),
    options: maskDeclaredSecrets(s.protocol, 'options', s.options),
  };
}

/** Only protocols that follow receipts (pastell, s2low) have `receipts` settings worth showing; defaults filled. */
function followsReceipts(protocol: string): boolean {
  return registryEntry(protocol)?.declaration.capabilities.includes('follow') ?? false;
}

function showReceipts(s: ScenarioConfig): Record<string, string> {
  const receipts = receiptsOf(s);
  return { every: formatDuration(receipts.everyMs), warnAfter: formatDuration(receipts.warnAfterMs) };
}

/** A protocol's block with the values its declaration says are secret masked (parts of groups too: `auth.password`). */
function maskDeclaredSecrets(protocol: string, where: OptionPlace, block: Record<string, unknown>): Record<string, unknown> {
  const walk = (node: unknown, path: string[]): unknown => {
    if (path.length > 0 && isDeclaredSecret(protocol, where, path) && node !== undefined && node !== '') return SECRET_MASK;
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return node;
    return Object.fromEntries(Object.entries(node).map(([key, child]) => [key, walk(child, [...path, key])]));
  };
  return walk(block, []) as Record<string, unknown>;
}

/** Secret values wherever they appear (a password inside a URL, say), even if not registered yet. */
function maskKnownSecrets(value: unknown, secrets: readonly string[]): unknown {
  const ordered = secrets.filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') return ordered.reduce((text, secret) => text.split(secret).join(SECRET_MASK), node);
    if (Array.isArray(node)) return node.map(walk);
    if (node !== null && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v)]));
    }
    return node;
  };
  return walk(value);
}

function withoutUndefined<T extends Record<string, unknown>>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
