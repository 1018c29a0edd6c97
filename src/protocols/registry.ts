// The explicit list of protocols. The keys each one accepts are declared here, so that the
// configuration can be validated without loading any protocol code; the code itself is loaded only
// when a command needs it (start-up stays light).
import type { ProtocolDefinition } from './contract.js';

export interface RegistryEntry {
  /** Keys of `profiles.<P>.<protocol>`. */
  profileKeys: readonly string[];
  /** Keys of `scenarios.<S>.options`. */
  optionKeys: readonly string[];
  load(): Promise<ProtocolDefinition>;
}

const registry: Record<string, RegistryEntry> = {
  local: {
    profileKeys: [],
    optionKeys: ['target', 'inbox', 'afterRetrieve', 'filter'],
    load: async () => (await import('./local.js')).localProtocol,
  },
};

export function protocolNames(): string[] {
  return Object.keys(registry);
}

export function registryEntry(name: string): RegistryEntry | undefined {
  return Object.hasOwn(registry, name) ? registry[name] : undefined;
}

export async function loadProtocol(name: string): Promise<ProtocolDefinition | undefined> {
  return registryEntry(name)?.load();
}
