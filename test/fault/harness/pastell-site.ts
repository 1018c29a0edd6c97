// The Pastell peer of fixtures/peers (its API and server, over HTTPS with a test CA) with a gate in
// front that can hold a request, and a site whose scenario sends PES Aller through it: the pieces of
// test/e2e/pastell-receipts.test.ts and test/fault/kill-pastell.test.ts.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PASTELL_ACCOUNT } from '../../../fixtures/peers/peers.mjs';
import { createPastellApi } from '../../../fixtures/peers/pastell/api.mjs';
import { startServer, type Request } from '../../../fixtures/peers/server.mjs';
import { createTestPki } from '../../../fixtures/peers/tls/pki.mjs';
import { ordoAsync, waitExit, type CliResult } from '../../helpers/cli.js';

export const PES = fileURLToPath(new URL('../../../fixtures/pes/PESALR2_21400999900017_261123_0930.xml', import.meta.url));
export const PES_NAME = 'PESALR2_21400999900017_261123_0930.xml';
export const ACK_NAME = 'PESALR2_21400999900017_261123_0930_ACK.xml';

/** What to undo after each test (peers, folders), last first: see `cleanUp`. */
export const cleanups: Array<() => Promise<void> | void> = [];

export async function cleanUp(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}

export interface Peer {
  api: ReturnType<typeof createPastellApi>;
  profile: Record<string, unknown>;
  /** Holds requests for which `hold` returns true until `release()`; `held` resolves when one arrives. */
  gate: { hold?: ((request: Request) => boolean) | undefined; held?: Promise<void>; release?: () => void };
  close(): Promise<void>;
}

/**
 * The Pastell peer of fixtures/peers (its API and server, over HTTPS with a test CA), with a gate in
 * front that can hold a request: the way to stop a send between two of its steps.
 */
export async function pastellPeer(): Promise<Peer> {
  const dir = mkdtempSync(join(tmpdir(), 'ordo-pastell-peer-'));
  const pki = createTestPki();
  // The TdT answers only when the test advances the peer.
  const api = createPastellApi({ dir, accounts: [{ login: PASTELL_ACCOUNT.login, password: PASTELL_ACCOUNT.password, entities: [PASTELL_ACCOUNT.id_e] }], entities: [{ id_e: PASTELL_ACCOUNT.id_e, denomination: 'Mairie de Test', siren: '000000000' }], delayMs: 3_600_000 });
  const gate: Peer['gate'] = {};
  const server = await startServer({
    handlers: [
      async (request) => {
        if (gate.hold?.(request) === true) {
          gate.hold = undefined;
          await new Promise<void>((resolve) => {
            gate.release = resolve;
            gateArrived?.();
          });
        }
        return false;
      },
      api.handler,
    ],
    tls: pki,
  });
  let gateArrived: (() => void) | undefined;
  gate.held = new Promise<void>((resolve) => (gateArrived = resolve));
  const peer: Peer = {
    api,
    profile: { url: server.origin, entity: PASTELL_ACCOUNT.id_e, user: PASTELL_ACCOUNT.login, password: PASTELL_ACCOUNT.password, ca: pki.caCert },
    gate,
    close: async () => {
      gate.release?.();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  cleanups.push(() => peer.close());
  return peer;
}

export interface Site {
  dir: string;
  root: string;
  source: string;
  recus: string;
  run(args: string[]): Promise<CliResult>;
  journal(): Array<Record<string, unknown>>;
}

export function site(
  peer: Peer,
  receipts: Record<string, string>,
  retries: Record<string, unknown> = { attempts: 2, backoff: '10ms' },
  options: Record<string, unknown> = { type: 'helios-generique' },
): Site {
  const dir = mkdtempSync(join(tmpdir(), 'ordo-e2e-pastell-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const source = join(dir, 'export');
  mkdirSync(source, { recursive: true });
  writeFileSync(
    join(dir, 'ordo.config.json'),
    JSON.stringify({
      root: './ordo-data',
      profiles: { VILLE: { pastell: peer.profile } },
      scenarios: {
        PES: {
          profile: 'VILLE',
          protocol: 'pastell',
          source: './export',
          settle: '0s',
          retries,
          receipts,
          naming: { timestamp: false },
          options,
        },
      },
    }),
  );
  const root = join(dir, 'ordo-data');
  return {
    dir,
    root,
    source,
    recus: join(root, 'recus', 'VILLE'),
    run: (args) => waitExit(ordoAsync(args, { cwd: dir })),
    journal: () => {
      const folder = join(root, 'journal');
      if (!existsSync(folder)) return [];
      // Read as the journal's readers read it (readJournal): a line being written while this polls, or cut
      // by a kill mid-write, is skipped, and a line glued to a cut one is read from its own start.
      return readdirSync(folder)
        .flatMap((name) => readFileSync(join(folder, name), 'utf8').split('\n'))
        .filter((line) => line.trim() !== '')
        .flatMap((line) => {
          const entry = parsedLine(line) ?? parsedLine(line.slice(Math.max(0, line.lastIndexOf('{"time":'))));
          return entry === undefined ? [] : [entry];
        });
    },
  };
}

export function json(result: CliResult): { exitCode: number; files: Array<Record<string, unknown>>; checks?: Array<Record<string, unknown>> } {
  try {
    return JSON.parse(result.stdout) as ReturnType<typeof json>;
  } catch {
    throw new Error(`not JSON (exit ${result.code}): ${result.stdout}\n${result.stderr}`);
  }
}

/** Requests about one document (GET of its detail: what following it costs the partner). */
export function questionsAbout(peer: Peer, id_d: string): number {
  return peer.api.requests.filter((r) => r.method === 'GET' && r.path.endsWith(`/document/${id_d}`)).length;
}

export function actionsOf(peer: Peer): number {
  return peer.api.requests.filter((r) => r.method === 'POST' && /\/action\/send-tdt$/.test(r.path) && r.status >= 200 && r.status < 300).length;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function parsedLine(line: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
