// diagnose: a scenario that takes files with `settle: 0s` and no done marker (⚠, with when it is safe).
import type { ScenarioConfig } from '../config/model.js';
import { settlesTooSoon } from '../config/warnings.js';
import { t } from '../i18n/index.js';
import { check } from './diagnose-check.js';
import type { DiagnoseCheck } from './results.js';

export function settleChecks(scenarios: ScenarioConfig[]): DiagnoseCheck[] {
  return scenarios.filter(settlesTooSoon).map((scenario) =>
    check('config.settle', 'warn', t('config.warning.settleZero', { scenario: scenario.name, key: 'settle' }), {
      scope: scenario.name,
      fix: t('config.warning.settleZero.fix'),
    }),
  );
}
