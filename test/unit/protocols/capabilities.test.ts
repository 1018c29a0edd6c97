// Capabilities are declared once, as data: the code the registry loads must declare the same ones, and
// every session it opens must have exactly the methods they stand for — checked for every registered
// protocol, and shown to refuse a protocol that says one thing and does another.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestPki } from '../../../fixtures/peers/tls/pki.mjs';
import { openCounterStore } from '../../../src/naming/index.js';
import type { ProtocolContext, ProtocolDefinition, ProtocolSession } from '../../../src/protocols/contract.js';
import { capabilityMismatch, refuseMismatchedSession } from '../../../src/protocols/define.js';
import { loadProtocol, protocolNames, registrationMismatch, registryEntry } from '../../../src/protocols/registry.js';

const scratch = mkdtempSync(join(tmpdir(), 'ordo-capabilities-'));
const pki = createTestPki();
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
  pki.remove();
});

/** Settings each protocol opens a session with, without reaching any partner (nothing connects before the first request). */
const VALID: Record<string, { profile: Record<string, unknown>; options: Record<string, unknown> }> = {
  local: { profile: {}, options: { target: 'out', inbox: 'in' } },
  sftp: { profile: { host: '127.0.0.1', username: 'mairie', password: 'not-used' }, options: { remoteDir: 'out', inbox: 'in' } },
  xfb: { profile: { url: 'https://gateway.example/depot-xt', user: 'U', password: 'P', partner: 'X', application: 'Y' }, options: {} },
  http: { profile: { urls: { electionsFR: 'https://insee.example/fr' } }, options: {} },
  tedeco: { profile: { spool: 'spool', alias: 'INSEE', ead: 'ECIVIL' }, options: { type: 'etatcivil', recordLength: 120 } },
  s2low: { profile: { url: 'https://s2low.example.fr', cert: pki.clientCert, key: pki.clientKey }, options: {} },
  pastell: { profile: { url: 'https://pastell.example', entity: '42', token: 'T' }, options: { inbox: 'helios-pes-retour' } },
};

function context(settings: { profile: Record<string, unknown>; options: Record<string, unknown> }): ProtocolContext {
  const root = join(scratch, 'ordo-data');
  return {
    profileName: 'P',
    ...settings,
    configDir: scratch,
    root,
    counters: openCounterStore({ root, counters: { kind: 'file', path: join(root, 'counters.json') } }),
    dryRun: true,
    log: { debug: () => undefined, info: () => undefined, warn: () => undefined },
  };
}

describe('capabilities', () => {
  it('every registered protocol has settings to open a session with here', () => {
    expect(Object.keys(VALID).sort()).toEqual(protocolNames().sort());
  });

  for (const name of protocolNames()) {
    it(`${name}: its code declares its registered capabilities, and its sessions have exactly those methods`, async () => {
      const definition = await loadProtocol(name);
      expect(definition).toBeDefined();
      expect([...definition!.capabilities].sort()).toEqual([...registryEntry(name)!.declaration.capabilities].sort());
      const session = await definition!.open(context(VALID[name]!));
      try {
        expect(capabilityMismatch(definition!, session)).toBeUndefined();
      } finally {
        await session.close();
      }
    });
  }

  it('refuses a session with a method its protocol does not declare, or without one it declares', async () => {
    const definition: Pick<ProtocolDefinition, 'name' | 'capabilities'> = { name: 'stand-in', capabilities: ['send', 'check'] };
    const noop = () => Promise.reject(new Error('not called'));
    expect(capabilityMismatch(definition, { send: noop, check: noop, close: () => Promise.resolve() })).toBeUndefined();
    expect(capabilityMismatch(definition, { send: noop, check: noop, list: noop, close: () => Promise.resolve() })).toBe(
      'protocol stand-in has list() on its session but does not declare the capability list',
    );
    expect(capabilityMismatch(definition, { send: noop, close: () => Promise.resolve() })).toBe('protocol stand-in declares the capability check but its session has no check()');

    let closed = 0;
    const extra: ProtocolSession = { send: noop, check: noop, verify: noop, close: () => Promise.resolve(void (closed += 1)) };
    await expect(refuseMismatchedSession(definition, extra)).rejects.toThrow(/protocol stand-in has verify\(\)/);
    expect(closed).toBe(1);
  });

  it('refuses, when the registry loads it, code that declares other capabilities than its registration', () => {
    const declaration = registryEntry('xfb')!.declaration;
    const open = () => Promise.reject(new Error('not called'));
    expect(registrationMismatch(declaration, { name: 'xfb', capabilities: [...declaration.capabilities], open })).toBeUndefined();
    expect(registrationMismatch(declaration, { name: 'xfb', capabilities: [...declaration.capabilities, 'verify'], open })).toMatch(/^protocol xfb: its code declares/);
    expect(registrationMismatch(declaration, { name: 'http', capabilities: [...declaration.capabilities], open })).toBe('protocol xfb is registered with the code of http');
  });

  it('tells the engine which protocols retrieve only from a named inbox', () => {
    const usesInbox = protocolNames().filter((name) => registryEntry(name)!.declaration.features.usesInbox);
    expect(usesInbox.sort()).toEqual(['local', 'pastell', 'sftp']);
  });
});
