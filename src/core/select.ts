// Which scenarios a command works on: the names given (--scenario, positional), the profiles given
// (--profile), else every enabled scenario.
import type { OrdoConfig, ScenarioConfig } from '../config/model.js';
import { UsageError } from '../shared/errors.js';
import type { Selection } from './context.js';

export function selectScenarios(config: OrdoConfig, selection: Selection): ScenarioConfig[] {
  const all = Object.values(config.scenarios);
  for (const name of selection.scenarios) {
    if (findScenario(config, name) === undefined) {
      throw new UsageError('engine.unknownScenario', { name, known: all.map((s) => s.name).join(', ') || '—' });
    }
  }
  for (const name of selection.profiles) {
    if (findProfileName(config, name) === undefined) {
      throw new UsageError('engine.unknownProfile', { name, known: Object.keys(config.profiles).join(', ') || '—' });
    }
  }
  const wantedScenarios = new Set(selection.scenarios.map((n) => findScenario(config, n)?.name));
  const wantedProfiles = new Set(selection.profiles.map((n) => findProfileName(config, n)));
  return all.filter((scenario) => {
    if (wantedScenarios.size > 0) return wantedScenarios.has(scenario.name);
    if (!scenario.enabled) return false;
    return wantedProfiles.size === 0 || wantedProfiles.has(scenario.profile);
  });
}

/** Scenario names are case-insensitive, as INI section names are. */
export function findScenario(config: OrdoConfig, name: string): ScenarioConfig | undefined {
  return config.scenarios[name] ?? Object.values(config.scenarios).find((s) => s.name.toLowerCase() === name.toLowerCase());
}

function findProfileName(config: OrdoConfig, name: string): string | undefined {
  return Object.keys(config.profiles).find((p) => p.toLowerCase() === name.toLowerCase());
}
