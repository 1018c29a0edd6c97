// What a configuration allows but should rarely want: accepted (the configuration loads, `config
// check` exits 0), and said by `config check` and `diagnose` (⚠) with when it is safe.
import type { ConfigProblem } from '../shared/errors.js';
import type { OrdoConfig, ScenarioConfig } from './model.js';
import { KeyLocator, ProblemList } from './problems.js';
import { windowsPaths } from './windows-paths.js';

/**
 * `settle: 0s` takes a file as soon as it appears: a producer still writing it gets it sent in
 * pieces. Safe only when files appear complete (written elsewhere, then moved in) or are announced by
 * a done marker — with `doneMarker` there is nothing to say.
 */
export function settlesTooSoon(scenario: ScenarioConfig): boolean {
  return scenario.source !== undefined && scenario.settleMs === 0 && scenario.doneMarker === undefined;
}

/** Every warning of a loaded configuration, placed like problems (file, INI section and line). */
export function configWarnings(config: OrdoConfig, locator: KeyLocator = new KeyLocator(config.file), secrets: ReadonlySet<string> = new Set(config.secrets)): ConfigProblem[] {
  const warnings = new ProblemList(locator, secrets);
  for (const scenario of Object.values(config.scenarios)) {
    if (!settlesTooSoon(scenario)) continue;
    warnings.add({
      path: ['scenarios', scenario.name, 'settle'],
      message: 'config.warning.settleZero',
      fix: 'config.warning.settleZero.fix',
      params: { scenario: scenario.name },
    });
  }
  for (const found of windowsPaths(config)) {
    warnings.add({
      path: found.path,
      message: 'config.warning.windowsPath',
      fix: 'config.warning.windowsPath.fix',
      params: { value: found.value, system: systemName(process.platform) },
    });
  }
  return warnings.toArray();
}

function systemName(platform: NodeJS.Platform): string {
  if (platform === 'linux') return 'Linux';
  if (platform === 'darwin') return 'macOS';
  return platform;
}
