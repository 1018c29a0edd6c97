// `ordo diagnose --accept-new-host-key <scenario>`: the one way to trust a new SFTP server. Reads the
// key the scenario's server presents and records it in `<root>/known_hosts`; a key that differs from
// one already recorded is refused (exit 4), never replaced.
import type { OrdoConfig } from '../config/model.js';
import { isTransferError } from '../protocols/contract.js';
import type { HostKeyAcceptance } from '../protocols/sftp/accept-host-key.js';
import { ExitCode, OrdoError, UsageError } from '../shared/errors.js';
import { findScenario } from './select.js';

export interface HostKeyAcceptanceResult extends HostKeyAcceptance {
  scenario: string;
  profile: string;
}

export async function acceptNewHostKey(config: OrdoConfig, scenarioName: string): Promise<HostKeyAcceptanceResult> {
  const scenario = findScenario(config, scenarioName);
  if (scenario === undefined) {
    throw new UsageError('engine.unknownScenario', { name: scenarioName, known: Object.keys(config.scenarios).join(', ') || '—' });
  }
  if (scenario.protocol !== 'sftp') {
    throw new UsageError('protocol.sftp.acceptNotSftp', { scenario: scenario.name, protocol: scenario.protocol });
  }
  const { acceptNewHostKey: accept } = await import('../protocols/sftp/accept-host-key.js');
  try {
    const accepted = await accept({
      profileName: scenario.profile,
      profile: config.profiles[scenario.profile]?.protocols.sftp ?? {},
      configDir: config.dir,
      root: config.root,
    });
    return { ...accepted, scenario: scenario.name, profile: scenario.profile };
  } catch (error) {
    if (!isTransferError(error)) throw error;
    throw new OrdoError(error.key, error.params, ExitCode.connection, { fix: error.fixKey, cause: error });
  }
}
