// automate.ini → the configuration tree (docs/configuration.md, INI), noting where each key was written.
// [general] holds the top-level keys, [profile:NAME] and [scenario:NAME] the dotted keys of a profile
// or scenario; [DIR:REC] numrec is the historical counter. Other sections ([DIR:*] and whatever the
// old tools kept there) are ignored, unless their name is a near-miss of ours (`[genral]`).
import type { IniDocument, IniEntry, IniSection } from './ini.js';
import { groupAt, placeValue, splitDottedKey } from './ini-tree.js';
import type { KeyLocation, KeyLocator, KeyPath, ProblemList } from './problems.js';
import { reportUnknownKey } from './schema-issues.js';
import { isPlainObject } from './schema.js';
import { didYouMean } from './suggest.js';

type SectionRole =
  | { kind: 'general' }
  | { kind: 'profile' | 'scenario'; name: string }
  | { kind: 'counter' }
  | { kind: 'historical' }
  | { kind: 'unknown' };

const GENERAL_KEYS = ['root', 'lang', 'watch.interval'];

/** Digits, optionally quoted, optionally followed by a `;` comment: what src/naming/ini-counter.ts reads. */
const NUMREC_VALUE = /^(["']?)([0-9]*)\1?[ \t]*(?:[;#].*)?$/;

function roleOf(sectionName: string): SectionRole {
  const lower = sectionName.toLowerCase();
  if (lower === 'general') return { kind: 'general' };
  const colon = sectionName.indexOf(':');
  if (colon < 0) return { kind: 'unknown' };
  const prefix = lower.slice(0, colon).trim();
  const name = sectionName.slice(colon + 1).trim();
  if (prefix === 'profile' || prefix === 'scenario') return { kind: prefix, name };
  if (prefix === 'dir') return name.toLowerCase() === 'rec' ? { kind: 'counter' } : { kind: 'historical' };
  return { kind: 'unknown' };
}

export function mapAutomateIni(
  document: IniDocument,
  file: string,
  locator: KeyLocator,
  problems: ProblemList,
): Record<string, unknown> {
  const tree: Record<string, unknown> = {};
  const here = (line: number, writtenKey: string, section?: IniSection): KeyLocation & { writtenKey: string } =>
    section ? { file, section: section.name, line, writtenKey } : { file, line, writtenKey };

  for (const entry of document.preamble.entries) {
    problems.add({ path: [], at: here(entry.line, entry.key), message: 'config.ini.noSection', fix: 'config.ini.noSection.fix' });
  }
  for (const line of document.preamble.invalidLines) {
    problems.add({ path: [], at: here(line, ''), message: 'config.ini.badLine', fix: 'config.ini.badLine.fix', params: { line } });
  }

  // Section names are case-insensitive: [scenario:Mandats] continues [SCENARIO:MANDATS] (first spelling kept).
  const spelling = new Map<string, string>();
  const numrecLines: number[] = [];

  for (const section of document.sections) {
    const role = roleOf(section.name);
    if (role.kind === 'historical') continue;
    if (role.kind === 'unknown') {
      // Historical files hold sections of the old tools: only near-misses of ours are typos.
      const suggestion = suggestSection(section.name);
      if (suggestion !== undefined) {
        problems.add({
          path: [],
          at: here(section.line, '', section),
          message: 'config.ini.unknownSection',
          fix: 'config.ini.unknownSection.suggest',
          params: { section: section.name, suggestion },
        });
      }
      continue;
    }
    for (const line of section.invalidLines) {
      problems.add({ path: [], at: here(line, '', section), message: 'config.ini.badLine', fix: 'config.ini.badLine.fix', params: { line } });
    }
    if (role.kind === 'counter') {
      checkCounter(section, here, numrecLines, problems);
      continue;
    }
    let base: string[] = [];
    if (role.kind !== 'general') {
      if (role.name === '') {
        problems.add({
          path: [],
          at: here(section.line, '', section),
          message: 'config.ini.sectionName',
          fix: 'config.ini.sectionName.fix',
          params: { section: section.name },
        });
        continue;
      }
      const id = `${role.kind}:${role.name.toLowerCase()}`;
      const name = spelling.get(id) ?? role.name;
      spelling.set(id, name);
      base = [role.kind === 'profile' ? 'profiles' : 'scenarios', name];
      groupAt(tree, base);
      locator.set(base, { file, section: section.name, line: section.line, sectionPath: base.join('.') });
    }
    for (const entry of section.entries) {
      const at = { ...here(entry.line, entry.key, section), sectionPath: base.join('.') };
      if (role.kind === 'general' && !isGeneralKey(entry.key)) {
        locator.set([entry.key], at);
        reportUnknownKey(problems, [], entry.key, GENERAL_KEYS);
        continue;
      }
      placeEntry(tree, base, entry, at, role.kind === 'scenario', locator, problems);
    }
  }
  matchProfileReferences(tree);
  return tree;
}

function isGeneralKey(key: string): boolean {
  const first = key.split('.')[0]?.trim();
  return first === 'root' || first === 'lang' || first === 'watch';
}

function placeEntry(
  tree: Record<string, unknown>,
  base: string[],
  entry: IniEntry,
  at: KeyLocation & { writtenKey: string },
  isScenario: boolean,
  locator: KeyLocator,
  problems: ProblemList,
): void {
  const segments = splitDottedKey(entry.key);
  if (segments === undefined) {
    problems.add({ path: [...base, entry.key], at, message: 'config.ini.badKey', fix: 'config.ini.badKey.fix' });
    return;
  }
  if (isScenario && segments.length > 2 && segments[0] === 'naming' && segments[1] === 'search') {
    placeSearchRow(tree, base, segments.slice(2).join('.'), entry, at, locator, problems);
    return;
  }
  const path = [...base, ...segments];
  const placement = placeValue(tree, path, entry.value);
  if (placement === 'placed') {
    locator.set(path, at);
    return;
  }
  const first = locator.locate(path).line;
  problems.add({
    path,
    at,
    message: placement === 'duplicate' ? 'config.ini.duplicate' : 'config.ini.conflict',
    fix: placement === 'duplicate' ? 'config.ini.duplicate.fix' : 'config.ini.conflict.fix',
    params: { first, section: at.section },
  });
}

/** `naming.search.RCT=mandats` lines of a scenario: an ordered table, like hconnect.ini's [RECHERCHE]. */
function placeSearchRow(
  tree: Record<string, unknown>,
  base: string[],
  key: string,
  entry: IniEntry,
  at: KeyLocation & { writtenKey: string },
  locator: KeyLocator,
  problems: ProblemList,
): void {
  const naming = groupAt(tree, [...base, 'naming']);
  const table = naming ? (naming.search ??= []) : undefined;
  if (!Array.isArray(table)) {
    const path = [...base, 'naming', 'search'];
    problems.add({ path, at, message: 'config.ini.conflict', fix: 'config.ini.conflict.fix', params: { first: locator.locate(path).line } });
    return;
  }
  const row: KeyPath = [...base, 'naming', 'search', table.length];
  table.push({ key, value: entry.value });
  for (const path of [row, [...row, 'key'], [...row, 'value']]) locator.set(path, at);
}

function checkCounter(
  section: IniSection,
  here: (line: number, writtenKey: string, section?: IniSection) => KeyLocation & { writtenKey: string },
  numrecLines: number[],
  problems: ProblemList,
): void {
  for (const entry of section.entries) {
    if (entry.key.toLowerCase() !== 'numrec') continue; // the other historical keys are not ours
    const at = here(entry.line, entry.key, section);
    if (numrecLines.length > 0) {
      problems.add({ path: [], at, message: 'config.ini.duplicate', fix: 'config.ini.duplicate.fix', params: { first: numrecLines[0], section: section.name } });
    } else if (!NUMREC_VALUE.test(entry.value)) {
      problems.add({ path: [], at, message: 'config.numrec.invalid', fix: 'config.numrec.invalid.fix', params: { value: entry.value } });
    }
    numrecLines.push(entry.line);
  }
}

/** `[genral]` → `[general]`, `[scenari:MANDATS]` → `[scenario:MANDATS]`. */
function suggestSection(name: string): string | undefined {
  const colon = name.indexOf(':');
  if (colon < 0) return didYouMean(name, ['general']) ? '[general]' : undefined;
  const kind = didYouMean(name.slice(0, colon).trim(), ['profile', 'scenario']);
  return kind ? `[${kind}:${name.slice(colon + 1).trim()}]` : undefined;
}

// INI names are case-insensitive on Windows: `profile=ville` designates [profile:VILLE].
function matchProfileReferences(tree: Record<string, unknown>): void {
  const profiles = isPlainObject(tree.profiles) ? Object.keys(tree.profiles) : [];
  const scenarios = isPlainObject(tree.scenarios) ? Object.values(tree.scenarios) : [];
  for (const scenario of scenarios) {
    if (!isPlainObject(scenario) || typeof scenario.profile !== 'string') continue;
    const wanted = scenario.profile;
    if (profiles.includes(wanted)) continue;
    const match = profiles.find((name) => name.toLowerCase() === wanted.toLowerCase());
    if (match !== undefined) scenario.profile = match;
  }
}
