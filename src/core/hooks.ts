// Scenario hooks: a command before the first file and after the last (a VPN client, say). The after
// hook runs even when sending failed. Their output goes to the run's log, masked.
import type { ScenarioConfig } from '../config/model.js';
import { t } from '../i18n/index.js';
import type { EngineContext, RunLogger } from './context.js';
import type { Outcomes } from './outcome.js';

export interface HookResult {
  ok: boolean;
  code: number | null;
  timedOut: boolean;
}

export function runHook(
  which: 'before' | 'after',
  scenario: ScenarioConfig,
  log: RunLogger,
  cwd: string,
): Promise<HookResult> | undefined {
  const command = scenario.hooks[which];
  if (command === undefined || command.trim() === '') return undefined;
  log.info('engine.hookStart', { which, scenario: scenario.name, command });
  // Loaded here, not when ordo starts: a run without hooks (most) does not pay for child_process (~3 ms on Node 24).
  const { spawn } = process.getBuiltinModule('node:child_process');
  return new Promise((resolve) => {
    const child = spawn(command, {
      shell: true,
      cwd,
      env: { ...process.env, ORDO_SCENARIO: scenario.name, ORDO_PROFILE: scenario.profile, ORDO_HOOK: which },
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, scenario.hooks.timeoutMs);
    const forward = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split(/\r?\n/)) if (line.trim() !== '') log.raw('info', `  | ${line}`);
    };
    child.stdout.on('data', forward);
    child.stderr.on('data', forward);
    child.on('error', () => undefined);
    child.on('close', (code) => {
      clearTimeout(timer);
      const ok = !timedOut && code === 0;
      if (timedOut) log.error('engine.hookTimeout', { which, scenario: scenario.name, seconds: Math.round(scenario.hooks.timeoutMs / 1000) });
      else if (!ok) log.error('engine.hookFailed', { which, scenario: scenario.name, code: String(code) });
      resolve({ ok, code, timedOut });
    });
  });
}

/** `work` between the scenario's before and after hooks; a before hook that fails blocks the work (a problem of the scenario). */
export async function withHooks(ctx: EngineContext, scenario: ScenarioConfig, outcomes: Outcomes, work: () => Promise<void>): Promise<void> {
  const before = runHook('before', scenario, ctx.log, ctx.config.dir);
  if (before !== undefined && !(await before).ok) {
    outcomes.problem({ scenario: scenario.name, message: t('engine.hookBlocked', { scenario: scenario.name }), connection: true });
    await runHook('after', scenario, ctx.log, ctx.config.dir);
    return;
  }
  try {
    await work();
  } finally {
    const after = runHook('after', scenario, ctx.log, ctx.config.dir);
    if (after !== undefined) await after;
  }
}
