// The `http` protocol's peer for the contract suite: the AIREPPNET-style upload endpoint of
// fixtures/peers over HTTPS with the test CA and Basic authentication, shared by the tests of a file
// (each harness call empties it). Send-only: nothing waits there to be retrieved.
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHttpPeer } from '../../fixtures/peers/peers.mjs';
import { openCounterStore } from '../../src/naming/index.js';
import type { ProtocolContext, ProtocolSession } from '../../src/protocols/contract.js';
import { httpProtocol } from '../../src/protocols/http/protocol.js';
import { sha256OfFile } from './files.js';
import { recordingLog, type LoggedLine } from './local-harness.js';
import type { ContractHarness } from './suite.js';

export type HttpPeer = Awaited<ReturnType<typeof startHttpPeer>>;

export const HTTP_USER = 'mairie-40999';
export const HTTP_PASSWORD = 'Http&pass=w0rd!';

export interface HttpHarness extends ContractHarness {
  peer: HttpPeer;
  profile: Record<string, unknown>;
  options: Record<string, unknown>;
  logged: LoggedLine[];
  /** A session with these profile settings and scenario options on top of the harness's. */
  openWith(profile?: Record<string, unknown>, options?: Record<string, unknown>): Promise<ProtocolSession>;
}

export function startHttpTestPeer(settings: Partial<Parameters<typeof startHttpPeer>[0]> = {}): ReturnType<typeof startHttpPeer> {
  return startHttpPeer({ tls: true, auth: { type: 'basic', user: HTTP_USER, password: HTTP_PASSWORD }, ...settings });
}

export function createHttpHarness(peer: HttpPeer, base: { profile?: Record<string, unknown>; options?: Record<string, unknown> } = {}): HttpHarness {
  peer.endpoint.reset();
  peer.faults.reset();
  peer.server.requests.splice(0);
  const logged: LoggedLine[] = [];
  const profile = {
    urls: peer.urls,
    auth: { type: 'basic', user: HTTP_USER, password: HTTP_PASSWORD },
    ...(peer.pki ? { ca: peer.pki.caCert } : {}),
    ...base.profile,
  };
  const options = { fileType: 'electionsFR', ...base.options };
  const context = (settings: Record<string, unknown>, scenarioOptions: Record<string, unknown>): ProtocolContext => ({
    profileName: 'VILLE',
    profile: settings,
    options: scenarioOptions,
    configDir: process.cwd(),
    root: process.cwd(),
    counters: openCounterStore({ root: tmpdir(), counters: { kind: 'file', path: join(tmpdir(), 'ordo-http-unused-counters.json') } }),
    dryRun: false,
    log: recordingLog(logged),
  });
  const openWith = (extraProfile: Record<string, unknown> = {}, extraOptions: Record<string, unknown> = {}): Promise<ProtocolSession> =>
    httpProtocol.open(context({ ...profile, ...extraProfile }, { ...options, ...extraOptions }));
  const first = (name: string) => peer.endpoint.received(name)[0];
  return {
    definition: httpProtocol,
    peer,
    profile,
    options,
    logged,
    openWith,
    open: () => openWith(),
    openWithMissingTarget: () => openWith({ urls: { ...peer.urls, electionsFR: `${peer.origin}/nowhere` } }),
    putRemote: () => Promise.reject(new Error('the http peer has nothing to retrieve')),
    async readSent(name) {
      const deposit = first(name);
      return deposit === undefined ? undefined : readFile(deposit.path);
    },
    async sentSha256(name) {
      const deposit = first(name);
      return deposit === undefined ? undefined : sha256OfFile(deposit.path);
    },
    listSentNames: () => Promise.resolve(peer.endpoint.deposits.map((deposit) => deposit.name)),
    faults: {
      cutUploadHalfway: () => peer.faults.cutUploadHalfway(),
      cutDownloadHalfway: () => peer.faults.cutDownloadHalfway(),
    },
    cleanup: () => Promise.resolve(),
  };
}
