// The `pastell` protocol's peer for the contract suite: the Pastell API v2 peer of fixtures/peers over
// HTTPS with the test CA. The suite sends arbitrary files, which no Hélios type takes: the harness's
// scenario uses the `custom` preset with the peer's generic type `depot-generique` (a file field that
// takes any file, an action `depot`), and retrieves PES Retour documents (`helios-pes-retour`).
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPastellPeer } from '../../fixtures/peers/peers.mjs';
import { openCounterStore } from '../../src/naming/index.js';
import type { ProtocolContext, ProtocolSession } from '../../src/protocols/contract.js';
import { pastellProtocol } from '../../src/protocols/pastell/protocol.js';
import { sha256OfFile } from './files.js';
import { recordingLog, type LoggedLine } from './local-harness.js';
import type { ContractHarness } from './suite.js';

export type PastellPeer = Awaited<ReturnType<typeof startPastellPeer>>;
type PeerDocument = PastellPeer extends { documents: Map<string, infer D> } ? D : never;

/** The scenario options the contract suite runs with: any file, into the peer's generic type. */
export const GENERIC_OPTIONS: Readonly<Record<string, unknown>> = Object.freeze({
  type: 'custom',
  documentType: 'depot-generique',
  fileField: 'fichier',
  action: 'depot',
  acknowledgedStates: 'termine',
  inbox: 'helios-pes-retour',
});

export interface PastellHarness extends ContractHarness {
  peer: PastellPeer;
  profile: Record<string, unknown>;
  logged: LoggedLine[];
  /** A session with these profile settings and scenario options (on top of the harness's when `merge`). */
  openWith(profile?: Record<string, unknown>, options?: Record<string, unknown>, merge?: boolean): Promise<ProtocolSession>;
  /** The peer's documents of a type, in the order they were created. */
  documentsOf(type: string): PeerDocument[];
}

export function createPastellHarness(peer: PastellPeer, baseOptions: Record<string, unknown> = GENERIC_OPTIONS): PastellHarness {
  peer.api.reset();
  peer.faults.reset();
  peer.server.requests.splice(0);
  const logged: LoggedLine[] = [];
  const profile: Record<string, unknown> = { ...peer.profile };
  const context = (settings: Record<string, unknown>, options: Record<string, unknown>): ProtocolContext => ({
    profileName: 'VILLE',
    profile: settings,
    options,
    configDir: process.cwd(),
    root: process.cwd(),
    counters: openCounterStore({ root: tmpdir(), counters: { kind: 'file', path: join(tmpdir(), 'ordo-pastell-unused-counters.json') } }),
    dryRun: false,
    log: recordingLog(logged),
  });
  const openWith = (settings: Record<string, unknown> = {}, options: Record<string, unknown> = {}, merge = true): Promise<ProtocolSession> =>
    pastellProtocol.open(context(merge ? withoutUndefined({ ...profile, ...settings }) : settings, merge ? withoutUndefined({ ...baseOptions, ...options }) : options));
  const documentsOf = (type: string): PeerDocument[] => [...peer.documents.values()].filter((doc) => doc.type === type);
  const sent = (name: string): PeerDocument[] => documentsOf('depot-generique').filter((doc) => doc.files.fichier?.[0]?.name === name);
  const waiting = (): PeerDocument[] => documentsOf('helios-pes-retour').filter((doc) => ['creation', 'modification'].includes(peer.api.state(doc)));
  return {
    definition: pastellProtocol,
    peer,
    profile,
    logged,
    openWith,
    documentsOf,
    open: () => openWith(),
    openWithMissingTarget: () => openWith({ entity: '999' }),
    putRemote(name, data) {
      peer.api.plant(peer.account.id_e, 'helios-pes-retour', { objet: name.replace(/\.xml$/i, '') }, { fichier_pes: { name, content: data } });
      return Promise.resolve();
    },
    putUnfetchable(name) {
      // A PES Retour document whose file has not arrived yet: nothing to fetch.
      peer.api.plant(peer.account.id_e, 'helios-pes-retour', { objet: name });
      return Promise.resolve();
    },
    async readSent(name) {
      const first = sent(name)[0];
      return first === undefined ? undefined : readFile(first.files.fichier![0]!.path);
    },
    async sentSha256(name) {
      const first = sent(name)[0];
      return first === undefined ? undefined : sha256OfFile(first.files.fichier![0]!.path);
    },
    listSentNames: () => Promise.resolve(documentsOf('depot-generique').flatMap((doc) => (doc.files.fichier ?? []).map((file) => file.name))),
    remoteCount: () => Promise.resolve(waiting().length),
    faults: {
      cutUploadHalfway: () => peer.faults.cutUploadHalfway(),
      cutDownloadHalfway: () => peer.faults.cutDownloadHalfway(),
    },
    cleanup: () => Promise.resolve(),
  };
}

function withoutUndefined(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined));
}
