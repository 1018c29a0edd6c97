// Checks that need more than one key at a time: profile references, protocols and their keys, folder-safe
// names, naming formats, what each protocol can do, and each used protocol's settings against its
// declaration — all from the registry's declarations, without loading protocol code. Runs on the raw tree
// so that it reports even when other keys are wrong.
import type { Capability } from '../protocols/contract.js';
import { settingProblems, UNKNOWN_SETTING } from '../protocols/options.js';
import { protocolNames, registryEntry, type RegistryEntry } from '../protocols/registry.js';
import type { ConfigFormat } from './read-source.js';
import type { KeyPath, ProblemList } from './problems.js';
import { reportUnknownKey } from './schema-issues.js';
import { isPlainObject } from './schema.js';
import { parseBoolean } from '../shared/values.js';

const PROFILE_KEYS = ['label', 'insee'];
/** The scenario options through which the protocols that retrieve from an inbox say where and what becomes of a file. */
const RETRIEVAL_OPTIONS = ['inbox', 'afterRetrieve'] as const;

/** `configDir`: the configuration file's folder, against which the protocols' relative paths are compared. */
export function checkReferences(tree: unknown, format: ConfigFormat, problems: ProblemList, configDir?: string): void {
  if (!isPlainObject(tree)) return;
  const profiles = isPlainObject(tree.profiles) ? tree.profiles : {};
  const scenarios = isPlainObject(tree.scenarios) ? tree.scenarios : {};
  for (const [name, profile] of Object.entries(profiles)) {
    checkFolderName(['profiles', name], name, problems);
    if (isPlainObject(profile)) checkProfileBlocks(name, profile, problems);
  }
  for (const [name, scenario] of Object.entries(scenarios)) {
    checkFolderName(['scenarios', name], name, problems);
    if (isPlainObject(scenario)) checkScenario(name, scenario, Object.keys(profiles), problems);
  }
  checkRenameFormats(tree, scenarios, format, problems);
  validateWithProtocols(profiles, scenarios, problems, configDir);
}

// Names become folders (backup/<scenario>, recus/<profile>): nothing may lead outside them.
function checkFolderName(path: KeyPath, name: string, problems: ProblemList): void {
  if (/[\\/:*?"<>|\u0000-\u001f]/.test(name) || /^\.{1,2}$/.test(name) || /[. ]$/.test(name)) {
    problems.add({ path, message: 'config.name.invalid', fix: 'config.name.invalid.fix', params: { name } });
  }
}

function checkProfileBlocks(profile: string, blocks: Record<string, unknown>, problems: ProblemList): void {
  for (const [key, block] of Object.entries(blocks)) {
    if (PROFILE_KEYS.includes(key)) continue;
    const path = ['profiles', profile, key];
    const entry = registryEntry(key);
    if (entry === undefined) {
      if (isPlainObject(block)) reportUnavailableProtocol(path, key, problems);
      else reportUnknownKey(problems, ['profiles', profile], key, [...PROFILE_KEYS, ...protocolNames()]);
    } else if (!isPlainObject(block)) {
      const fix = entry.profileKeys.length > 0 ? 'config.value.group.fix' : undefined;
      problems.add({ path, message: 'config.value.group', fix, params: { accepted: entry.profileKeys.join(', ') } });
    } else {
      for (const setting of Object.keys(block)) {
        if (!entry.profileKeys.includes(setting)) reportUnknownKey(problems, path, setting, entry.profileKeys);
      }
    }
  }
}

function checkScenario(name: string, scenario: Record<string, unknown>, profiles: string[], problems: ProblemList): void {
  const { profile, protocol, options } = scenario;
  if (typeof profile === 'string' && profile !== '' && !profiles.includes(profile)) {
    problems.add({
      path: ['scenarios', name, 'profile'],
      message: 'config.profile.unknown',
      fix: profiles.length > 0 ? 'config.profile.unknown.fix' : 'config.profile.unknown.none',
      params: { scenario: name, profile, known: profiles.join(', ') },
    });
  }
  if (typeof protocol !== 'string' || protocol === '') return;
  const entry = registryEntry(protocol);
  if (entry === undefined) {
    reportUnavailableProtocol(['scenarios', name, 'protocol'], protocol, problems);
    return;
  }
  // Before the unknown keys: `options.inbox` on a protocol that cannot retrieve says so rather than "unknown key".
  checkCapabilities(name, scenario, protocol, entry, problems);
  if (isPlainObject(options)) {
    for (const key of Object.keys(options)) {
      if (!entry.optionKeys.includes(key)) reportUnknownKey(problems, ['scenarios', name, 'options'], key, entry.optionKeys);
    }
  }
}

/** What a scenario asks of its protocol that the protocol cannot do: send from a source folder, retrieve. */
function checkCapabilities(name: string, scenario: Record<string, unknown>, protocol: string, entry: RegistryEntry, problems: ProblemList): void {
  const can = (capability: Capability): boolean => entry.declaration.capabilities.includes(capability);
  if (!can('send') && scenario.source !== undefined) {
    problems.add({ path: ['scenarios', name, 'source'], message: 'config.protocol.cannotSend', fix: 'config.protocol.cannotSend.fix', params: { protocol } });
  }
  if (can('list')) return;
  for (const path of retrievalSettings(scenario)) {
    problems.add({ path: ['scenarios', name, ...path], message: 'config.protocol.cannotRetrieve', fix: 'config.protocol.cannotRetrieve.fix', params: { protocol } });
  }
}

/** The keys of a scenario that only matter when it retrieves (`retrieve.enabled` and `afterSend` only when on). */
function retrievalSettings(scenario: Record<string, unknown>): KeyPath[] {
  const found: KeyPath[] = [];
  const { retrieve, options } = scenario;
  if (isPlainObject(retrieve)) {
    for (const key of ['enabled', 'afterSend'] as const) if (parseBoolean(retrieve[key]) === true) found.push(['retrieve', key]);
    if (retrieve.at !== undefined) found.push(['retrieve', 'at']);
  }
  if (isPlainObject(options)) {
    for (const key of RETRIEVAL_OPTIONS) if (options[key] !== undefined) found.push(['options', key]);
  }
  return found;
}

function reportUnavailableProtocol(path: KeyPath, protocol: string, problems: ProblemList): void {
  problems.add({
    path,
    message: 'config.protocol.unavailable',
    fix: 'config.protocol.unavailable.fix',
    params: { protocol, available: protocolNames().join(', ') },
  });
}

/** Renaming without a format would leave received files unnamed. */
function checkRenameFormats(
  tree: Record<string, unknown>,
  scenarios: Record<string, unknown>,
  format: ConfigFormat,
  problems: ProblemList,
): void {
  const top = readRenaming(tree.naming);
  if (top.rename === true && !top.hasFormat) {
    const formatKey = format === 'ini' ? 'renommer_format' : 'naming.format';
    problems.add({ path: ['naming', 'rename'], message: 'config.naming.formatMissing', fix: 'config.naming.formatMissing.fix', params: { formatKey } });
  }
  for (const [name, scenario] of Object.entries(scenarios)) {
    if (!isPlainObject(scenario)) continue;
    const own = readRenaming(scenario.naming);
    if (own.rename === true && !own.hasFormat && !top.hasFormat) {
      const formatKey = problems.writtenKey(['scenarios', name, 'naming', 'format']);
      problems.add({
        path: ['scenarios', name, 'naming', 'rename'],
        message: 'config.naming.formatMissing',
        fix: 'config.naming.formatMissing.fix',
        params: { formatKey },
      });
    }
  }
}

function readRenaming(naming: unknown): { rename: boolean | undefined; hasFormat: boolean } {
  if (!isPlainObject(naming)) return { rename: undefined, hasFormat: false };
  const hasFormat = typeof naming.format === 'string' && naming.format.trim() !== '';
  return { rename: parseBoolean(naming.rename), hasFormat };
}

function validateWithProtocols(
  profiles: Record<string, unknown>,
  scenarios: Record<string, unknown>,
  problems: ProblemList,
  configDir: string | undefined,
): void {
  for (const [name, scenario] of Object.entries(scenarios)) {
    if (!isPlainObject(scenario)) continue;
    const { profile, protocol } = scenario;
    if (typeof profile !== 'string' || typeof protocol !== 'string') continue;
    const declaration = registryEntry(protocol)?.declaration;
    const profileBlocks = profiles[profile];
    if (declaration === undefined || !isPlainObject(profileBlocks)) continue;
    const block = isPlainObject(profileBlocks[protocol]) ? profileBlocks[protocol] : {};
    const options = isPlainObject(scenario.options) ? scenario.options : {};
    for (const found of settingProblems(declaration, { profile: block, options }, configDir)) {
      // Unknown keys are reported above, with the keys as written in the file.
      if (found.messageKey === UNKNOWN_SETTING) continue;
      const path = found.where === 'profile' ? ['profiles', profile, protocol, found.key] : ['scenarios', name, 'options', found.key];
      problems.add({ path, message: found.messageKey, fix: found.fixKey, params: found.params ?? {} });
    }
  }
}
