// The agent's spool (docs/protocols/tedeco.md): requests and their data in `ead/<ead>/`, return files
// in `eaa/a001/` and `eaa/a020/`, the agent's own scratch folders at the root.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { isTemporaryName } from '../../shared/temp-names.js';

export interface SpoolLayout {
  root: string;
  /** `<spool>/ead/<ead>`: where the pairs are written. */
  requests: string;
  /** `<spool>/eaa/a001`, `<spool>/eaa/a020`: where the agent drops return files. */
  returns: string[];
  /** `<spool>/t`, `tmp`, `tmpxted`: the agent's scratch folders, to purge when it went silent. */
  agentTemp: string[];
}

export const RETURN_FOLDERS = ['a001', 'a020'] as const;
export const AGENT_TEMP_FOLDERS = ['t', 'tmp', 'tmpxted'] as const;

export function spoolLayout(spool: string, ead: string): SpoolLayout {
  return {
    root: spool,
    requests: join(spool, 'ead', ead),
    returns: RETURN_FOLDERS.map((folder) => join(spool, 'eaa', folder)),
    agentTemp: AGENT_TEMP_FOLDERS.map((folder) => join(spool, folder)),
  };
}

export const requestFileName = (number: string, ead: string): string => `rq${number}.${ead}`;
export const dataFileName = (number: string, ead: string): string => `fi${number}.${ead}`;

/** Default pattern of the return files: `la*.<ead>` in any letter case (the agent runs on Windows). */
export function returnPattern(ead: string): string {
  return `${caseless('la')}*.${caseless(ead)}`;
}

function caseless(text: string): string {
  // eslint-disable-next-line @typescript-eslint/no-misused-spread -- code points are the unit wanted: a glob class must not split a surrogate pair, and letter case is per character, not per grapheme.
  return [...text].map((char) => (char.toLowerCase() === char.toUpperCase() ? char : `[${char.toLowerCase()}${char.toUpperCase()}]`)).join('');
}

export interface PairFile {
  kind: 'request' | 'data';
  /** The digits as written (`0042`). */
  digits: string;
  name: string;
}

/** `rqNNNN.<ead>` or `fiNNNN.<ead>`, in any letter case. */
export function pairFileOf(name: string, ead: string): PairFile | undefined {
  // Every group takes part in a match: the undefined checks only narrow the indexing.
  const [, prefix, digits, suffix] = /^(rq|fi)([0-9]+)\.(.+)$/i.exec(name) ?? [];
  if (prefix === undefined || digits === undefined || suffix?.toLowerCase() !== ead.toLowerCase()) return undefined;
  return { kind: prefix.toLowerCase() === 'rq' ? 'request' : 'data', digits, name };
}

/** Numbers compare by value: `rq042` and `rq0042` are the same request for the agent's counter. */
export function numberKey(digits: string): string {
  return BigInt(digits).toString();
}

export function isOwnTemporary(name: string): boolean {
  return isTemporaryName(name);
}

export interface RequestFolder {
  /** Number key → file name. */
  requests: Map<string, string>;
  data: Map<string, string>;
  /** ordo's own hidden temporary files. */
  temporaries: string[];
}

export async function readRequestFolder(folder: string, ead: string): Promise<RequestFolder> {
  const listing: RequestFolder = { requests: new Map(), data: new Map(), temporaries: [] };
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    if (!entry.isFile()) continue;
    if (isOwnTemporary(entry.name)) {
      listing.temporaries.push(entry.name);
      continue;
    }
    const file = pairFileOf(entry.name, ead);
    if (file === undefined) continue;
    (file.kind === 'request' ? listing.requests : listing.data).set(numberKey(file.digits), file.name);
  }
  return listing;
}
