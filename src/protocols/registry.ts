// The explicit list of protocols. Each one's declaration (its keys, capabilities and features:
// <protocol>/options.ts) and its messages (<protocol>/messages.ts) are known here without loading its
// code, so that the configuration can be checked and shown; the code itself is loaded only when a
// command needs it (start-up stays light). Loading this module adds every protocol's messages, and
// those they share (common/, web/), to the catalog: src/i18n cannot import them itself.
import { addCatalog, type Catalog } from '../i18n/index.js';
import { commonMessages } from './common/messages.js';
import type { ProtocolDefinition } from './contract.js';
import { httpMessages } from './http/messages.js';
import { httpDeclaration } from './http/options.js';
import { localMessages } from './local/messages.js';
import { localDeclaration } from './local/options.js';
import { pastellMessages } from './pastell/messages.js';
import { pastellDeclaration } from './pastell/options.js';
import { declaredKeys, isSecretPart, type OptionPlace, type ProtocolDeclaration } from './options.js';
import { s2lowMessages } from './s2low/messages.js';
import { s2lowDeclaration } from './s2low/options.js';
import { sftpMessages } from './sftp/messages.js';
import { sftpDeclaration } from './sftp/options.js';
import { tedecoMessages } from './tedeco/messages.js';
import { tedecoDeclaration } from './tedeco/options.js';
import { webMessages } from './web/messages.js';
import { xfbMessages } from './xfb/messages.js';
import { xfbDeclaration } from './xfb/options.js';

export interface RegistryEntry {
  declaration: ProtocolDeclaration;
  /** Keys of `profiles.<P>.<protocol>`, as declared. */
  profileKeys: readonly string[];
  /** Keys of `scenarios.<S>.options`, as declared. */
  optionKeys: readonly string[];
  /** Its messages (`protocol.<name>.*`), in the catalog once this module is loaded. */
  messages: Catalog;
  load(): Promise<ProtocolDefinition>;
}

function entry(declaration: ProtocolDeclaration, messages: Catalog, load: () => Promise<ProtocolDefinition>): RegistryEntry {
  return { declaration, profileKeys: declaredKeys(declaration, 'profile'), optionKeys: declaredKeys(declaration, 'options'), messages, load };
}

const registry: Record<string, RegistryEntry> = {
  local: entry(localDeclaration, localMessages, async () => (await import('./local/protocol.js')).localProtocol),
  sftp: entry(sftpDeclaration, sftpMessages, async () => (await import('./sftp/protocol.js')).sftpProtocol),
  xfb: entry(xfbDeclaration, xfbMessages, async () => (await import('./xfb/protocol.js')).xfbProtocol),
  http: entry(httpDeclaration, httpMessages, async () => (await import('./http/protocol.js')).httpProtocol),
  tedeco: entry(tedecoDeclaration, tedecoMessages, async () => (await import('./tedeco/protocol.js')).tedecoProtocol),
  pastell: entry(pastellDeclaration, pastellMessages, async () => (await import('./pastell/protocol.js')).pastellProtocol),
  s2low: entry(s2lowDeclaration, s2lowMessages, async () => (await import('./s2low/protocol.js')).s2lowProtocol),
};

for (const messages of [commonMessages, webMessages, ...Object.values(registry).map((found) => found.messages)]) addCatalog(messages);

export function protocolNames(): string[] {
  return Object.keys(registry);
}

export function registryEntry(name: string): RegistryEntry | undefined {
  return Object.hasOwn(registry, name) ? registry[name] : undefined;
}

/** The protocol's code, refused when it is not what its declaration says (a bug of the protocol, not of the configuration). */
export async function loadProtocol(name: string): Promise<ProtocolDefinition | undefined> {
  const found = registryEntry(name);
  if (found === undefined) return undefined;
  const definition = await found.load();
  const mismatch = registrationMismatch(found.declaration, definition);
  if (mismatch !== undefined) throw new Error(mismatch);
  return definition;
}

export function registrationMismatch(declaration: ProtocolDeclaration, definition: ProtocolDefinition): string | undefined {
  if (definition.name !== declaration.name) return `protocol ${declaration.name} is registered with the code of ${definition.name}`;
  const missing = declaration.capabilities.filter((capability) => !definition.capabilities.includes(capability));
  const extra = definition.capabilities.filter((capability) => !declaration.capabilities.includes(capability));
  if (missing.length === 0 && extra.length === 0) return undefined;
  return `protocol ${declaration.name}: its code declares the capabilities [${definition.capabilities.join(', ')}], its registration [${declaration.capabilities.join(', ')}]`;
}

/** Whether `path` inside a protocol's block (`['password']`, `['auth', 'token']`) holds a secret its declaration names. */
export function isDeclaredSecret(protocol: string, where: OptionPlace, path: readonly string[]): boolean {
  const declaration = registryEntry(protocol)?.declaration;
  const [name] = path;
  const option = declaration?.options.find((candidate) => candidate.where === where && candidate.name === name);
  if (option === undefined) return false;
  return isSecretPart(option, path.slice(0, 2).join('.'));
}
