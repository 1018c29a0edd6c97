// Opening a protocol session for a scenario: load its definition, give it the profile's settings.
import type { OrdoConfig, ScenarioConfig } from '../config/model.js';
import type { ProtocolContext, ProtocolDefinition, ProtocolLog, ProtocolSession } from '../protocols/contract.js';
import { TransferError } from '../protocols/contract.js';
import { refuseMismatchedSession } from '../protocols/define.js';
import { loadProtocol } from '../protocols/registry.js';
import { openCounterStore } from '../naming/index.js';
import type { EngineContext } from './context.js';

export interface OpenedSession {
  definition: ProtocolDefinition;
  session: ProtocolSession;
}

export async function loadDefinition(name: string): Promise<ProtocolDefinition> {
  const definition = await loadProtocol(name);
  if (definition === undefined) throw new TransferError('permanent', 'engine.protocolUnavailable', { protocol: name }, { connection: true });
  return definition;
}

/** What a protocol is given for one scenario: its profile block, its options, where things are. */
export function protocolContext(
  config: OrdoConfig,
  scenario: ScenarioConfig,
  options: { log: ProtocolLog; dryRun: boolean },
): ProtocolContext {
  return {
    profileName: scenario.profile,
    profile: config.profiles[scenario.profile]?.protocols[scenario.protocol] ?? {},
    options: scenario.options,
    configDir: config.dir,
    root: config.root,
    counters: openCounterStore(config),
    dryRun: options.dryRun,
    log: options.log,
  };
}

/**
 * The scenario's session: its settings checked against the protocol's declaration as it opens
 * (`defineProtocol`), its methods against the declared capabilities once open.
 */
export async function openSession(ctx: EngineContext, scenario: ScenarioConfig): Promise<OpenedSession> {
  const definition = await loadDefinition(scenario.protocol);
  const session = await definition.open(
    protocolContext(ctx.config, scenario, {
      dryRun: ctx.dryRun,
      log: {
        debug: (key, params) => ctx.log.debug(key, params),
        info: (key, params) => ctx.log.info(key, params),
        warn: (key, params) => ctx.log.warn(key, params),
      },
    }),
  );
  await refuseMismatchedSession(definition, session);
  return { definition, session };
}
