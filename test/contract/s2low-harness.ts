// The `s2low` protocol's peer for the contract suite: the S²LOW peer of fixtures/peers (HTTPS, client
// certificate required by the handshake, the test CA), shared by the tests of a file (each harness call
// empties it). The suite sends arbitrary small files, not PES Aller: its sessions turn the PES check off
// (`checkPes=false`, a scenario option that is on by default); the peer, like S²LOW's import, takes any
// non-empty file.
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startS2lowPeer } from '../../fixtures/peers/peers.mjs';
import { openCounterStore } from '../../src/naming/index.js';
import type { ProtocolContext, ProtocolSession } from '../../src/protocols/contract.js';
import { s2lowProtocol } from '../../src/protocols/s2low/protocol.js';
import { sha256OfFile } from './files.js';
import { recordingLog, type LoggedLine } from './local-harness.js';
import type { ContractHarness } from './suite.js';

export type S2lowPeer = Awaited<ReturnType<typeof startS2lowPeer>>;

export interface S2lowHarness extends ContractHarness {
  peer: S2lowPeer;
  /** The profile `open()` uses: the peer's address, the valid PKCS#12 and its password, the test CA. */
  profile: Record<string, unknown>;
  logged: LoggedLine[];
  /** A session with this profile on top of `profile` (or instead of it when `merge` is false), and these scenario options. */
  openWith(profile: Record<string, unknown>, options?: Record<string, unknown>, merge?: boolean): Promise<ProtocolSession>;
}

export function createS2lowHarness(peer: S2lowPeer, defaults: Record<string, unknown> = { checkPes: false }): S2lowHarness {
  peer.s2low.reset();
  peer.faults.reset();
  const logged: LoggedLine[] = [];
  const profile = { ...peer.profile };
  const context = (settings: Record<string, unknown>, options: Record<string, unknown>): ProtocolContext => ({
    profileName: 'VILLE',
    profile: settings,
    options,
    configDir: process.cwd(),
    root: process.cwd(),
    counters: openCounterStore({ root: tmpdir(), counters: { kind: 'file', path: join(tmpdir(), 'ordo-s2low-unused-counters.json') } }),
    dryRun: false,
    log: recordingLog(logged),
  });
  const openWith = (settings: Record<string, unknown>, options: Record<string, unknown> = {}, merge = true): Promise<ProtocolSession> =>
    s2lowProtocol.open(context(merge ? { ...profile, ...settings } : settings, { ...defaults, ...options }));
  const first = (name: string) => peer.s2low.posted(name)[0];
  return {
    definition: s2lowProtocol,
    peer,
    profile,
    logged,
    openWith,
    open: () => openWith({}),
    openWithMissingTarget: () => openWith({ url: `${peer.origin}/nowhere` }),
    putRemote(name, data) {
      peer.s2low.addRetour(name, data);
      return Promise.resolve();
    },
    putUnfetchable(name) {
      // A PES Retour announced without an id: nothing designates it.
      peer.s2low.addRawListEntry(`<pes_retour><id/><nom>${name}</nom><date>2026-01-05 10:00:00</date></pes_retour>`);
      return Promise.resolve();
    },
    async readSent(name) {
      const posted = first(name);
      return posted === undefined ? undefined : readFile(posted.path);
    },
    async sentSha256(name) {
      const posted = first(name);
      return posted === undefined ? undefined : sha256OfFile(posted.path);
    },
    listSentNames: () => Promise.resolve(peer.s2low.transactions.map((transaction) => transaction.name)),
    remoteCount: () => Promise.resolve(peer.s2low.retours.filter((retour) => !retour.read).length),
    faults: {
      cutUploadHalfway: () => peer.faults.cutUploadHalfway(),
      cutDownloadHalfway: () => peer.faults.cutDownloadHalfway(),
    },
    cleanup: () => Promise.resolve(),
  };
}
