// The `tedeco` protocol's peer for the contract suite: an agent's spool in a temporary directory
// (`ead/<ead>/` on the request side, `eaa/a001` and `eaa/a020` on the return side), no agent running.
// A file "sent under a name" is a complete pair whose request names it (`nomfic`).
import { mkdir, mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProtocolContext, ProtocolDefinition, ProtocolSession } from '../../src/protocols/contract.js';
import { openCounterStore } from '../../src/naming/index.js';
import { tedecoProtocol, tedecoRequestSide, tedecoReturnSide } from '../../src/protocols/tedeco/protocol.js';
import { sha256OfFile, writeContent } from './files.js';
import { canHoldOnThisSystem, recordingLog, type LoggedLine } from './local-harness.js';
import type { ContractHarness } from './suite.js';

export type TedecoSide = 'request' | 'return' | 'both';

export const EAD = 'ECIVIL';

export interface TedecoHarness extends ContractHarness {
  dir: string;
  spool: string;
  /** `<spool>/ead/ECIVIL`. */
  requests: string;
  /** `<spool>/eaa/a001`, `<spool>/eaa/a020`. */
  returns: string[];
  root: string;
  logged: LoggedLine[];
  context(settings?: { profile?: Record<string, unknown>; options?: Record<string, unknown>; dryRun?: boolean }): ProtocolContext;
  openWith(settings?: { profile?: Record<string, unknown>; options?: Record<string, unknown>; dryRun?: boolean }): Promise<ProtocolSession>;
  /** Complete pairs in the request folder: request name → its parsed fields and data. */
  pairs(): Promise<SpoolPair[]>;
}

export interface SpoolPair {
  number: string;
  request: string;
  fields: Record<string, string>;
  data: Buffer;
}

const DEFINITIONS: Record<TedecoSide, ProtocolDefinition> = { request: tedecoRequestSide, return: tedecoReturnSide, both: tedecoProtocol };

export const DEFAULT_PROFILE = { spool: 'spool', alias: 'INSEE', ead: EAD };
export const DEFAULT_OPTIONS = { type: 'etatcivil', recordLength: 1, rfa: 'EC[var2]' };

/** The request file as the agent would read it: Windows-1252, one key=value per CRLF line. */
export function parseRequestText(bytes: Buffer): Record<string, string> {
  const text = new TextDecoder('windows-1252').decode(bytes);
  const fields: Record<string, string> = {};
  for (const line of text.split('\r\n')) {
    const equals = line.indexOf('=');
    if (equals > 0) fields[line.slice(0, equals)] = line.slice(equals + 1);
  }
  return fields;
}

/**
 * `definition` replaces the side's own (the contract suite passes the protocol as the registry loads
 * it, which is both sides).
 */
export async function createTedecoHarness(settings: { side: TedecoSide; options?: Record<string, unknown>; definition?: ProtocolDefinition }): Promise<TedecoHarness> {
  const dir = await mkdtemp(join(tmpdir(), 'ordo-tedeco-'));
  const spool = join(dir, 'spool');
  const requests = join(spool, 'ead', EAD);
  const returns = [join(spool, 'eaa', 'a001'), join(spool, 'eaa', 'a020')];
  const root = join(dir, 'ordo-data');
  for (const folder of [requests, ...returns, root]) await mkdir(folder, { recursive: true });
  const definition = settings.definition ?? DEFINITIONS[settings.side];
  const logged: LoggedLine[] = [];
  let drops = 0;

  const context: TedecoHarness['context'] = (given = {}) => ({
    profileName: 'VILLE',
    profile: { ...DEFAULT_PROFILE, ...given.profile },
    options: { ...DEFAULT_OPTIONS, ...settings.options, ...given.options },
    configDir: dir,
    root,
    counters: openCounterStore({ root, counters: { kind: 'file', path: join(root, 'counters.json') } }),
    dryRun: given.dryRun ?? false,
    log: recordingLog(logged),
  });
  const openWith: TedecoHarness['openWith'] = (given) => definition.open(context(given));

  async function pairs(): Promise<SpoolPair[]> {
    const names = await readdir(requests);
    const found: SpoolPair[] = [];
    for (const request of names.filter((name) => /^rq[0-9]+\./.test(name)).sort()) {
      const number = request.slice(2, request.indexOf('.'));
      const dataName = `fi${request.slice(2)}`;
      if (!names.includes(dataName)) continue;
      found.push({
        number,
        request,
        fields: parseRequestText(await readFile(join(requests, request))),
        data: await readFile(join(requests, dataName)),
      });
    }
    return found;
  }

  const pairNamed = async (name: string): Promise<SpoolPair | undefined> => (await pairs()).find((pair) => pair.fields.nomfic === name.normalize('NFC'));

  return {
    definition,
    dir,
    spool,
    requests,
    returns,
    root,
    logged,
    context,
    openWith,
    pairs,
    open: () => openWith(),
    openWithMissingTarget: () =>
      openWith(settings.side === 'return' ? { profile: { spool: 'missing-spool' } } : { profile: { ead: 'ABSENT' } }),
    async putRemote(name, data) {
      // Alternate between the two return folders: both must be collected.
      const path = join(returns[drops++ % returns.length]!, name);
      await writeContent(path, data);
    },
    async putUnfetchable(name) {
      // A symbolic link in a return folder to a file of this machine outside the spool: fetching it
      // would copy that file.
      await writeContent(join(dir, 'secret.txt'), Buffer.from('not for the agent'));
      await symlink(join(dir, 'secret.txt'), join(returns[drops++ % returns.length]!, name));
    },
    readSent: async (name) => (await pairNamed(name))?.data,
    async sentSha256(name) {
      const pair = await pairNamed(name);
      return pair === undefined ? undefined : sha256OfFile(join(requests, `fi${pair.request.slice(2)}`));
    },
    async listSentNames() {
      const complete = await pairs();
      const paired = new Set(complete.flatMap((pair) => [pair.request, `fi${pair.request.slice(2)}`]));
      const others = (await readdir(requests)).filter((name) => !paired.has(name));
      return [...complete.map((pair) => pair.fields.nomfic!), ...others];
    },
    async remoteCount() {
      let count = 0;
      for (const folder of returns) count += (await readdir(folder, { withFileTypes: true })).filter((entry) => entry.isFile()).length;
      return count;
    },
    // What is sent travels in a Windows-1252 request; what is retrieved is only a file of a return folder.
    canHoldName: (name, side) => (side === 'send' ? canHoldInRequest(name) : canHoldOnThisSystem(name)),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** A name the request can carry exactly: a file name here, written in Windows-1252 as it is (already NFC). */
function canHoldInRequest(name: string): boolean {
  if (!canHoldOnThisSystem(name) || name !== name.normalize('NFC')) return false;
  return Array.from(name).every((char) => {
    const code = char.codePointAt(0)!;
    return code < 0x80 || (code >= 0xa0 && code <= 0xff) || '€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ'.includes(char);
  });
}
