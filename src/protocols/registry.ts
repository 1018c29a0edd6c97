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
    load: async () => (await import('./local/protocol.js')).localProtocol,
  },
  // Keys beyond the fixed ones of docs/configuration.md: docs/protocols/sftp.md.
  sftp: {
    profileKeys: ['host', 'port', 'username', 'password', 'privateKey', 'passphrase', 'hostKey', 'knownHosts', 'timeout', 'keepalive', 'serial', 'ciphers'],
    optionKeys: ['remoteDir', 'inbox', 'filter', 'afterRetrieve', 'createRemoteDir'],
    load: async () => (await import('./sftp/protocol.js')).sftpProtocol,
  },
  // Keys beyond the fixed ones of docs/configuration.md (passphrase, insecure, timeout): docs/protocols/xfb.md.
  xfb: {
    profileKeys: ['url', 'user', 'password', 'partner', 'application', 'ca', 'cert', 'key', 'proxy', 'passphrase', 'insecure', 'timeout'],
    optionKeys: [],
    load: async () => (await import('./xfb/protocol.js')).xfbProtocol,
  },
  // Keys beyond the fixed ones of docs/configuration.md (passphrase, insecure, timeout, method, body, fileField,
  // successStatus, successPattern): docs/protocols/http.md.
  http: {
    profileKeys: ['urls', 'auth', 'ca', 'cert', 'key', 'proxy', 'passphrase', 'insecure', 'timeout', 'method', 'body', 'fileField', 'successStatus', 'successPattern'],
    optionKeys: ['fileType', 'fields'],
    load: async () => (await import('./http/protocol.js')).httpProtocol,
  },
  // Keys beyond the fixed ones of docs/configuration.md (filter, staleRequestAge): docs/protocols/tedeco.md.
  tedeco: {
    profileKeys: ['spool', 'alias', 'ead'],
    optionKeys: ['type', 'rfa', 'recordLength', 'compression', 'year', 'filter', 'staleRequestAge'],
    load: async () => (await import('./tedeco/protocol.js')).tedecoProtocol,
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
