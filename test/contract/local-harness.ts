// The `local` protocol's peer for the contract suite: two folders in a temporary directory.
import { mkdir, mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProtocolContext, ProtocolDefinition, ProtocolLog, ProtocolSession } from '../../src/protocols/contract.js';
import { openCounterStore } from '../../src/naming/index.js';
import { localProtocol } from '../../src/protocols/local/protocol.js';
import { TEMP_FOLDER } from '../../src/protocols/common/temporaries.js';
import { sha256OfFile, writeContent } from './files.js';
import type { ContractHarness } from './suite.js';

export interface LoggedLine {
  level: 'debug' | 'info' | 'warn';
  key: string;
  params: Record<string, unknown> | undefined;
}

/** A protocol log that keeps every line in `logged`, for the tests to read. */
export function recordingLog(logged: LoggedLine[]): ProtocolLog {
  return {
    debug: (key, params) => logged.push({ level: 'debug', key, params }),
    info: (key, params) => logged.push({ level: 'info', key, params }),
    warn: (key, params) => logged.push({ level: 'warn', key, params }),
  };
}

export interface LocalHarness extends ContractHarness {
  /** The configuration folder; `target` and `inbox` are given relative to it. */
  root: string;
  target: string;
  inbox: string;
  logged: LoggedLine[];
  /** A session with these scenario options (relative paths resolve against `root`). */
  openWith(options: Record<string, unknown>): Promise<ProtocolSession>;
}

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i;

export async function createLocalHarness(
  settings: { options?: Record<string, unknown>; definition?: ProtocolDefinition } = {},
): Promise<LocalHarness> {
  const root = await mkdtemp(join(tmpdir(), 'ordo-local-'));
  const target = join(root, 'target');
  const inbox = join(root, 'inbox');
  await mkdir(target);
  await mkdir(inbox);
  const definition = settings.definition ?? localProtocol;
  const logged: LoggedLine[] = [];

  const context = (options: Record<string, unknown>): ProtocolContext => ({
    profileName: 'VILLE',
    profile: {},
    options,
    configDir: root,
    root: join(root, 'ordo-data'),
    counters: openCounterStore({ root: join(root, 'ordo-data'), counters: { kind: 'file', path: join(root, 'ordo-data', 'counters.json') } }),
    dryRun: false,
    log: recordingLog(logged),
  });
  const openWith = (options: Record<string, unknown>): Promise<ProtocolSession> => definition.open(context(options));

  return {
    definition,
    root,
    target,
    inbox,
    logged,
    openWith,
    open: () => openWith({ target: 'target', inbox: 'inbox', ...settings.options }),
    openWithMissingTarget: () => openWith({ target: 'missing/target', inbox: 'inbox', ...settings.options }),
    async putRemote(name, data) {
      const path = join(inbox, name);
      await writeContent(path, data);
    },
    async putUnfetchable(name) {
      // A symbolic link to a file of this machine outside the inbox: fetching it would copy that file.
      await writeContent(join(root, 'secret.txt'), Buffer.from('not for the partner'));
      await symlink(join(root, 'secret.txt'), join(inbox, name));
    },
    async readSent(name) {
      return readFile(join(target, name)).catch(() => undefined);
    },
    async sentSha256(name) {
      return sha256OfFile(join(target, name)).catch(() => undefined);
    },
    listSentNames: () => sentNames(target),
    async remoteCount() {
      return (await readdir(inbox, { withFileTypes: true })).filter((entry) => entry.isFile()).length;
    },
    canHoldName: canHoldOnThisSystem,
    acknowledgedEntriesRemain: afterRetrieveKeeps(settings.options),
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}

/** The target's names, and those of the files in its hidden sub-folder for temporary files (the folder itself is not a file a partner picks up). */
async function sentNames(target: string): Promise<string[]> {
  const names: string[] = [];
  for (const entry of await readdir(target, { withFileTypes: true })) {
    if (entry.name === TEMP_FOLDER && entry.isDirectory()) {
      for (const name of await readdir(join(target, TEMP_FOLDER))) names.push(`${TEMP_FOLDER}/${name}`);
    } else {
      names.push(entry.name);
    }
  }
  return names;
}

export function afterRetrieveKeeps(options: Record<string, unknown> | undefined): boolean {
  const afterRetrieve = options?.afterRetrieve ?? 'delete';
  return typeof afterRetrieve === 'string' && afterRetrieve.toLowerCase() === 'keep';
}

/** What this machine's filesystem can store as one file name. */
export function canHoldOnThisSystem(name: string): boolean {
  if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\0')) return false;
  if (process.platform !== 'win32') return true;
  return !/[<>:"\\|?*\u0000-\u001f]/.test(name) && !WINDOWS_RESERVED.test(name) && !/[ .]$/.test(name);
}
