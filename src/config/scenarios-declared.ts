// A configuration that declares no scenario gives ordo nothing to do: loaded for a command that acts
// on scenarios, it is an error rather than a quiet "nothing to do" (a cron job pointed at the wrong
// file would otherwise succeed forever). The fix shows where scenarios go, in the file's own syntax.
import type { ConfigFormat } from './read-source.js';
import type { ProblemList } from './problems.js';
import { isPlainObject } from './schema.js';

/** Declared means written, enabled or not: a configuration whose scenarios are all disabled is not this mistake. */
export function checkScenariosDeclared(tree: unknown, format: ConfigFormat, file: string, problems: ProblemList): void {
  if (!isPlainObject(tree)) return; // Not keys at all: the schema says so.
  const scenarios = tree.scenarios;
  if (scenarios !== undefined && !(isPlainObject(scenarios) && Object.keys(scenarios).length === 0)) return;
  problems.add({
    path: scenarios === undefined ? [] : ['scenarios'],
    ...(scenarios === undefined ? { at: { file, writtenKey: '' } } : {}),
    message: 'config.scenarios.none',
    fix: `config.scenarios.none.fix.${format}`,
    example: EXAMPLES[format],
  });
}

/** The smallest configuration that does something, in each syntax (each loads as written: tested). */
export const EXAMPLES: Record<ConfigFormat, readonly string[]> = {
  json: [
    '{',
    '  "profiles": { "VILLE": { "label": "Ville de Saint-Exemple" } },',
    '  "scenarios": {',
    '    "MANDATS": { "profile": "VILLE", "protocol": "local", "source": "./export", "options": { "target": "./depot" } }',
    '  }',
    '}',
  ],
  yaml: [
    'profiles:',
    '  VILLE: { label: Ville de Saint-Exemple }',
    'scenarios:',
    '  MANDATS:',
    '    profile: VILLE',
    '    protocol: local',
    '    source: ./export',
    '    options: { target: ./depot }',
  ],
  ini: ['[profile:VILLE]', 'label=Ville de Saint-Exemple', '', '[scenario:MANDATS]', 'profile=VILLE', 'protocol=local', 'source=./export', 'options.target=./depot'],
};
