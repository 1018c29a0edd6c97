// The `xfb` protocol's peer for the contract suite: the XFB gateway of fixtures/peers over HTTPS with
// the test CA, shared by the tests of a file (each harness call empties it).
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startXfbPeer } from '../../fixtures/peers/peers.mjs';
import { openCounterStore } from '../../src/naming/index.js';
import type { ProtocolContext, ProtocolSession } from '../../src/protocols/contract.js';
import { xfbProtocol } from '../../src/protocols/xfb/protocol.js';
import { sha256OfFile } from './files.js';
import { recordingLog, type LoggedLine } from './local-harness.js';
import type { ContractHarness } from './suite.js';

export type XfbPeer = Awaited<ReturnType<typeof startXfbPeer>>;

export interface XfbHarness extends ContractHarness {
  peer: XfbPeer;
  /** The profile `open()` uses: the peer's address, account and test CA. */
  profile: Record<string, unknown>;
  logged: LoggedLine[];
  /** A session with this profile instead (or on top of `profile` when `merge`). */
  openWith(profile: Record<string, unknown>, merge?: boolean): Promise<ProtocolSession>;
}

export function xfbProfile(peer: XfbPeer): Record<string, unknown> {
  return { ...peer.profile };
}

export function createXfbHarness(peer: XfbPeer): XfbHarness {
  peer.gateway.reset();
  peer.faults.reset();
  peer.server.requests.splice(0);
  const logged: LoggedLine[] = [];
  const profile = xfbProfile(peer);
  const context = (settings: Record<string, unknown>): ProtocolContext => ({
    profileName: 'VILLE',
    profile: settings,
    options: {},
    configDir: process.cwd(),
    root: process.cwd(),
    counters: openCounterStore({ root: tmpdir(), counters: { kind: 'file', path: join(tmpdir(), 'ordo-xfb-unused-counters.json') } }),
    dryRun: false,
    log: recordingLog(logged),
  });
  const openWith = (settings: Record<string, unknown>, merge = true): Promise<ProtocolSession> =>
    xfbProtocol.open(context(merge ? { ...profile, ...settings } : settings));
  const kept = (name: string) => peer.gateway.kept(name);
  return {
    definition: xfbProtocol,
    peer,
    profile,
    logged,
    openWith,
    open: () => openWith({}),
    openWithMissingTarget: () => openWith({ url: `${peer.origin}/nowhere/depot-xt` }),
    putRemote(name, data) {
      peer.gateway.addWaiting(name, data);
      return Promise.resolve();
    },
    putUnfetchable(name) {
      // A listing line whose link climbs out of the gateway's path.
      peer.gateway.addListingLine(`<LI><A HREF="${peer.gateway.path}/../${encodeURIComponent(name)}?local_ident=99">${name}</A> <SPAN class="state">B</SPAN></LI>`);
      return Promise.resolve();
    },
    async readSent(name) {
      const first = kept(name)[0];
      return first === undefined ? undefined : readFile(first.path);
    },
    async sentSha256(name) {
      const first = kept(name)[0];
      return first === undefined ? undefined : sha256OfFile(first.path);
    },
    listSentNames: () => Promise.resolve(peer.gateway.deposits.filter((deposit) => !deposit.lost).map((deposit) => deposit.name)),
    remoteCount: () => Promise.resolve(peer.gateway.waiting.filter((entry) => entry.state === 'B').length),
    faults: {
      cutUploadHalfway: () => peer.faults.cutUploadHalfway(),
      cutDownloadHalfway: () => peer.faults.cutDownloadHalfway(),
    },
    cleanup: () => Promise.resolve(),
  };
}
