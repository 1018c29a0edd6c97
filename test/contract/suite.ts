// The one contract suite every protocol runs (docs/protocols/contract.md). A capability the protocol
// does not declare is not skipped: its tests assert that the session lacks the method (the engine refuses
// a session whose methods are not exactly its declared capabilities). A test that needs what the peer cannot do (cut a transfer, plant an entry
// that must not be fetched) is registered as skipped, the reason in its title: never silently absent.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, type TestContext } from 'vitest';
import {
  hasCapability,
  isTransferError,
  TransferError,
  type Capability,
  type ProtocolDefinition,
  type ProtocolSession,
  type RemoteEntry,
  type SkippedEntry,
  type TransferErrorKind,
} from '../../src/protocols/contract.js';
import { capabilityMismatch, METHOD_OF } from '../../src/protocols/define.js';
import { catalogKeys } from '../../src/i18n/index.js';
// The protocols' messages, checked by expectKnownKey, join the catalog with the registry.
import '../../src/protocols/registry.js';
import { largeSendItem, measureMemory, MiB, sendItem, sha256, sha256OfFile, sha256OfZeros } from './files.js';

export interface ContractFaults {
  /** The next upload is cut by the peer after about half of its bytes. */
  cutUploadHalfway?(): void;
  /** The next download is cut by the peer after about half of its bytes. */
  cutDownloadHalfway?(): void;
}

/**
 * A protocol and a real peer, fresh for every test: the factory is called before each test, so share
 * expensive servers between calls and give each call its own folders.
 */
export interface ContractHarness {
  /** The protocol under test, as the registry loads it. */
  definition: ProtocolDefinition;
  /** A session for a scenario that sends into the peer and retrieves from it. */
  open(): Promise<ProtocolSession>;
  /** A session whose send destination does not exist at the peer (missing folder, unknown path…). */
  openWithMissingTarget(): Promise<ProtocolSession>;
  /** Drops a file on the peer's retrieve side; `{ size }` means that many zero bytes. */
  putRemote(name: string, data: Buffer | { size: number }): Promise<void>;
  /** What the peer received under that final name, or undefined. */
  readSent(name: string): Promise<Buffer | undefined>;
  /** sha256 of what the peer received under that name, without loading it in memory (large files). */
  sentSha256?(name: string): Promise<string | undefined>;
  /** Every name on the send side, hidden and temporary ones included. */
  listSentNames(): Promise<string[]>;
  /** How many entries wait on the retrieve side. */
  remoteCount?(): Promise<number>;
  /**
   * Whether the peer can store a file under this name at all (a filesystem cannot hold `a/b`), on the
   * side the suite uses: what we send, or what waits to be retrieved (a peer may differ between them).
   */
  canHoldName?(name: string, side: 'send' | 'retrieve'): boolean;
  /** The session from `open()` leaves acknowledged entries in place (afterRetrieve=keep and the like). */
  acknowledgedEntriesRemain?: boolean;
  /**
   * Puts on the peer's retrieve side an entry announced as `name` that must not be fetched (a symbolic
   * link, a link to another path, a malformed listing line…). Required with the `unfetchableEntries` trait.
   */
  putUnfetchable?(name: string): Promise<void>;
  faults?: ContractFaults;
  cleanup(): Promise<void>;
}

const LARGE_SIZE = 256 * MiB;
// Half the file: a protocol holding the file in memory grows by all of it; buffers, GC slack and the
// in-process peer sharing this process (Node 24 keeps more of it) stay well under that.
const MAX_MEMORY_GROWTH = LARGE_SIZE / 2;

/** Names a partner may announce. The core neutralises them; the protocol must report them as they are. */
export const HOSTILE_NAMES: readonly string[] = [
  '../evil.xml',
  'a/b.xml',
  'a\\b.xml',
  'con.txt',
  'NUL',
  '\u00e9t\u00e9.xml',
  'e\u0301te\u0301.xml',
  'with  two spaces .xml',
  ' leading space.xml',
  'brackets [1] (2) {3}.xml',
  '*star?.xml',
  '-rf',
  'line\nbreak.xml',
  'dollar $HOME %PATH%.xml',
];

/** Why a peer cannot do something some tests need: those tests are listed as skipped, with this reason. */
export interface Unable {
  unable: string;
}

/** A peer ability: `true`, or why not (never silently absent). */
export type Ability = true | Unable;

export function unable(reason: string): Unable {
  return { unable: reason };
}

/**
 * What the peer can do beyond the contract, declared up front: a test that needs an ability the peer
 * lacks is registered as skipped with the reason in its title, so the suite's output lists it.
 */
export interface PeerTraits {
  /** The peer can cut transfers half-way (the fault tests run, and fail if the harness lacks the hook). */
  faults: Ability;
  /** The harness can plant an entry that must not be fetched (`putUnfetchable`): the skipping test runs. */
  unfetchableEntries: Ability;
  /** The partner never accepts an empty file (the XFB gateway answers 400): sending one is a permanent error that leaves nothing. */
  refusesEmptyFiles?: boolean;
  /**
   * The partner marks an entry taken as soon as all of it was downloaded (XFB state E): it leaves the
   * list and a second download is refused (permanent), so the bytes must be kept by whoever fetched them.
   */
  downloadTakesEntry?: boolean;
}

export function defineContractSuite(name: string, harness: () => Promise<ContractHarness>, traits: PeerTraits): void {
  describe(`${name}: protocol contract`, () => {
    let h: ContractHarness;
    let session: ProtocolSession;
    let scratch: string;
    const extraSessions: ProtocolSession[] = [];

    beforeEach(async () => {
      h = await harness();
      scratch = await mkdtemp(join(tmpdir(), 'ordo-contract-'));
      session = await h.open();
    });

    afterEach(async () => {
      for (const extra of extraSessions.splice(0)) await extra.close();
      await session.close();
      await h.cleanup();
      await rm(scratch, { recursive: true, force: true });
    });

    /** A test that needs a peer ability: run when the peer has it, else listed as skipped with the reason. */
    function abilityIt(ability: Ability, capability: Capability, title: string, body: (ctx: TestContext) => Promise<void>): void {
      if (ability === true) capabilityIt(capability, title, body);
      else it.skip(`${title} — skipped: ${ability.unable}`, () => undefined);
    }

    /** A test of one capability; when it is not declared, the test asserts that the session lacks it instead. */
    function capabilityIt(capability: Capability, title: string, body: (ctx: TestContext) => Promise<void>): void {
      it(title, async (ctx) => {
        if (!hasCapability(h.definition, capability)) {
          expectUnsupported(session, capability);
          return;
        }
        await body(ctx);
      });
    }

    function canHold(side: 'send' | 'retrieve'): (remoteName: string) => boolean {
      return (remoteName) => h.canHoldName?.(remoteName, side) ?? true;
    }

    async function sentSha256(sentName: string): Promise<string | undefined> {
      if (h.sentSha256) return h.sentSha256(sentName);
      const data = await h.readSent(sentName);
      return data === undefined ? undefined : sha256(data);
    }

    async function entryNamed(entryName: string): Promise<RemoteEntry> {
      const entries = await session.list!();
      const entry = entries.find((candidate) => candidate.name === entryName);
      expect(entry, `entry ${JSON.stringify(entryName)} listed`).toBeDefined();
      return entry!;
    }

    describe('capabilities', () => {
      it('has a name and implements exactly the capabilities it declares', () => {
        expect(h.definition.name).toMatch(/^[a-z][a-z0-9-]*$/);
        for (const capability of h.definition.capabilities) {
          expect(typeof session[METHOD_OF[capability]], `session.${capability}`).toBe('function');
        }
        expect(capabilityMismatch(h.definition, session)).toBeUndefined();
      });

      it('declares only capabilities that make sense together', () => {
        const declares = (capability: Capability): boolean => hasCapability(h.definition, capability);
        if (declares('verify')) expect(declares('send'), 'verify checks what send delivered').toBe(true);
        if (declares('fetch')) expect(declares('list'), 'fetch takes entries from list').toBe(true);
        if (declares('acknowledge')) expect(declares('list'), 'acknowledge takes entries from list').toBe(true);
      });

      it('can be closed twice', async () => {
        const extra = await h.open();
        await extra.close();
        await extra.close();
      });
    });

    describe('send', () => {
      capabilityIt('send', 'delivers exactly the bytes under the final name, and nothing else', async () => {
        const data = Buffer.from('<?xml version="1.0"?><PES_Aller>contract</PES_Aller>\n');
        const receipt = await session.send!(await sendItem(scratch, 'PES_ALLER_001.xml', data));
        expect(receipt.remoteId).toEqual(expect.any(String));
        expect(receipt.remoteId).not.toBe('');
        expect(['acknowledged', 'pending']).toContain(receipt.state);
        expect(await h.readSent('PES_ALLER_001.xml')).toEqual(data);
        expect(await h.listSentNames()).toEqual(['PES_ALLER_001.xml']);
      });

      capabilityIt('send', 'delivers an empty file', async () => {
        if (traits.refusesEmptyFiles) {
          const refused = await failure(session.send!(await sendItem(scratch, 'empty.txt', Buffer.alloc(0))));
          expectTransferError(refused, 'permanent');
          expect(await h.listSentNames()).toEqual([]);
          return;
        }
        await session.send!(await sendItem(scratch, 'empty.txt', Buffer.alloc(0)));
        expect(await h.readSent('empty.txt')).toEqual(Buffer.alloc(0));
        expect(await h.listSentNames()).toEqual(['empty.txt']);
      });

      capabilityIt('send', 'keeps unusual but legitimate names exactly', async () => {
        const names = ['Mandat n° 12 [copie] (2).xml', '\u00c9TAT CIVIL 2024.txt', 'e\u0301te\u0301 NFD.xml'].filter(canHold('send'));
        for (const sentName of names) await session.send!(await sendItem(scratch, sentName, Buffer.from(sentName)));
        for (const sentName of names) expect(await h.readSent(sentName), sentName).toEqual(Buffer.from(sentName));
        expect((await h.listSentNames()).sort()).toEqual([...names].sort());
      });

      capabilityIt('send', 'the announced next file changes nothing delivered, right or wrong, and leaves nothing once closed', async () => {
        const files: Array<[string, Buffer]> = [
          ['LOT_001.xml', Buffer.from('<lot n="1"/>')],
          ['LOT_002.xml', Buffer.from('<lot n="2"/>')],
          ['LOT_003.bin', Buffer.alloc(2 * MiB + 5, 3)],
          ['LOT_004.xml', Buffer.from('<lot n="4"/>')],
        ];
        // Right for the first two, then a file that never comes, then a large file announced right.
        const announced = ['LOT_002.xml', 'LOT_JAMAIS.xml', 'LOT_004.xml', undefined];
        for (const [index, [sentName, data]] of files.entries()) {
          const nextName = announced[index];
          await session.send!(await sendItem(scratch, sentName, data), nextName === undefined ? {} : { nextName });
        }
        for (const [sentName, data] of files) expect(sha256((await h.readSent(sentName))!), sentName).toBe(sha256(data));
        await session.send!(await sendItem(scratch, 'LOT_005.xml', Buffer.from('<lot n="5"/>')), { nextName: 'LOT_FANTOME.xml' });
        await session.close();
        expect((await h.listSentNames()).sort()).toEqual([...files.map(([sentName]) => sentName), 'LOT_005.xml'].sort());
      });

      capabilityIt('send', 'publishing last: the file gets its final name only once beforePublish resolves, and never when it rejects', async () => {
        if (session.publishesLast !== true) {
          expect(session.publishesLast, 'publishesLast is true or absent').toBeUndefined();
          return;
        }
        // As the engine sends a big file: the hash not known yet (empty), given by beforePublish.
        const data = randomBytes(3 * MiB + 11);
        const item = await sendItem(scratch, 'TARD.bin', data);
        let finalNameWhenAsked: boolean | undefined;
        let bytesWhenAsked = 0;
        await session.send!({ ...item, sha256: '' }, {
          onProgress: (bytes) => (bytesWhenAsked = bytes),
          beforePublish: async () => {
            // Time for the partner to take the file, were it complete there (an HTTP body sent whole).
            await new Promise((resolve) => setTimeout(resolve, 250));
            finalNameWhenAsked = (await h.listSentNames()).includes('TARD.bin');
            return item.sha256;
          },
        });
        expect(finalNameWhenAsked, 'asked before the final name exists').toBe(false);
        // Every byte written under a temporary name; over HTTP, where the partner takes the file with its
        // request's last byte, every byte but that one (a form's closing delimiter comes after the file).
        expect(bytesWhenAsked, 'asked once every byte (but the last) was written').toBeGreaterThanOrEqual(data.length - 1);
        expect(await sentSha256('TARD.bin')).toBe(item.sha256);

        const refusal = new Error('the engine says no');
        const other = await sendItem(scratch, 'JAMAIS.bin', randomBytes(3 * MiB + 5));
        const refused = await failure(session.send!({ ...other, sha256: '' }, { beforePublish: () => Promise.reject(refusal) }));
        expect(refused, 'the refusal comes back unchanged').toBe(refusal);
        // Nothing of it at the partner: no final name, no temporary file.
        expect(await h.listSentNames()).toEqual(['TARD.bin']);
      });

      capabilityIt('send', 'reports increasing progress up to the size', async () => {
        const data = Buffer.alloc(3 * MiB + 123, 7);
        const seen: number[] = [];
        await session.send!(await sendItem(scratch, 'progress.bin', data), { onProgress: (bytes) => seen.push(bytes) });
        expect(seen.length).toBeGreaterThan(0);
        for (let i = 1; i < seen.length; i += 1) expect(seen[i]!).toBeGreaterThanOrEqual(seen[i - 1]!);
        expect(seen.at(-1)).toBe(data.length);
        expect(Math.max(...seen)).toBe(data.length);
      });

      capabilityIt('send', `streams a ${LARGE_SIZE / MiB} MiB file with flat memory`, async () => {
        const item = await largeSendItem(scratch, 'large.bin', LARGE_SIZE);
        const { growth } = await measureMemory(() => session.send!(item));
        expect(await sentSha256('large.bin')).toBe(item.sha256);
        expect(growth, `RSS grew by ${Math.round(growth / MiB)} MiB`).toBeLessThan(MAX_MEMORY_GROWTH);
        expect(await h.listSentNames()).toEqual(['large.bin']);
      });

      capabilityIt('send', 'an aborted send leaves neither the final name nor a temporary file', async () => {
        const item = await sendItem(scratch, 'aborted.bin', Buffer.alloc(16 * MiB, 1));
        const controller = new AbortController();
        const sending = session.send!(item, { signal: controller.signal, onProgress: () => controller.abort() });
        const error = await failure(sending);
        expect(error, 'send rejected').toBeInstanceOf(Error);
        expect((error as Error).name).toBe('AbortError');
        expect(await h.readSent('aborted.bin')).toBeUndefined();
        expect(await h.listSentNames()).toEqual([]);
      });

      capabilityIt('send', 'an already aborted signal sends nothing', async () => {
        const item = await sendItem(scratch, 'never.txt', Buffer.from('never'));
        const error = await failure(session.send!(item, { signal: AbortSignal.abort() }));
        expect((error as Error | undefined)?.name).toBe('AbortError');
        expect(await h.listSentNames()).toEqual([]);
      });

      capabilityIt('send', 'never overwrites a file already at the final name', async () => {
        const first = Buffer.from('first version');
        const receipt = await session.send!(await sendItem(scratch, 'twice.xml', first));
        const second = await sendItem(scratch, 'twice.xml', Buffer.from('second, different version'));
        const outcome = await session.send!(second).then(
          (again) => ({ again }),
          (error: unknown) => ({ error }),
        );
        if ('error' in outcome) {
          expectTransferError(outcome.error, 'permanent');
        } else {
          // A partner that keeps both (documents, not names) must give the second one its own identifier.
          expect(outcome.again.remoteId).not.toBe(receipt.remoteId);
        }
        expect(await h.readSent('twice.xml')).toEqual(first);
        expect((await h.listSentNames()).filter((sent) => sent !== 'twice.xml')).toEqual([]);
      });

      capabilityIt('send', 'refuses names that are not plain file names', async () => {
        for (const badName of ['../evil.xml', 'a/b.xml', 'a\\b.xml', '..', '.', '']) {
          const item = await sendItem(scratch, badName, Buffer.from('evil'));
          const error = await failure(session.send!(item));
          expectTransferError(error, 'permanent');
        }
        expect(await h.listSentNames()).toEqual([]);
      });

      capabilityIt('send', 'a missing destination is a permanent error', async () => {
        const broken = await h.openWithMissingTarget();
        extraSessions.push(broken);
        const error = await broken.send!(await sendItem(scratch, 'lost.xml', Buffer.from('x'))).then(
          () => undefined,
          (reason: unknown) => reason,
        );
        expectTransferError(error, 'permanent');
      });

      abilityIt(traits.faults, 'send', 'an upload cut half-way is transient and leaves no file under the final name', async () => {
        const cut = h.faults?.cutUploadHalfway;
        if (cut === undefined) throw new Error('the harness declares faults but has no cutUploadHalfway');
        const item = await sendItem(scratch, 'cut.bin', Buffer.alloc(8 * MiB, 3));
        cut.call(h.faults);
        const error = await failure(session.send!(item));
        expectTransferError(error, 'transient');
        expect(await h.readSent('cut.bin')).toBeUndefined();
        const retry = await h.open();
        extraSessions.push(retry);
        await retry.send!(item);
        expect(await sentSha256('cut.bin')).toBe(item.sha256);
      });
    });

    describe('verify', () => {
      capabilityIt('verify', 'says present after a complete send', async () => {
        const item = await sendItem(scratch, 'verified.xml', Buffer.from('complete'));
        await session.send!(item);
        expect(await session.verify!(item)).toBe('present');
      });

      capabilityIt('verify', 'says absent for a file never sent', async () => {
        const item = await sendItem(scratch, 'never-sent.xml', Buffer.from('nothing'));
        expect(await session.verify!(item)).toBe('absent');
      });

      capabilityIt('verify', 'does not say present when other content holds the name', async () => {
        await session.send!(await sendItem(scratch, 'other.xml', Buffer.from('the original')));
        const other = await sendItem(scratch, 'other.xml', Buffer.from('another content'));
        expect(await session.verify!(other)).not.toBe('present');
      });
    });

    describe('list, fetch, acknowledge', () => {
      capabilityIt('list', 'lists what waits at the peer with its name and size', async () => {
        await h.putRemote('ACQUIT_1.xml', Buffer.from('<acquit/>'));
        await h.putRemote('ACQUIT_2.xml', Buffer.from('<acquit>2</acquit>'));
        const entries = await session.list!();
        expect(entries.map((entry) => entry.name).sort()).toEqual(['ACQUIT_1.xml', 'ACQUIT_2.xml']);
        for (const entry of entries) {
          expect(entry.id).toEqual(expect.any(String));
          if (entry.size !== undefined) expect(entry.size).toBe(entry.name === 'ACQUIT_1.xml' ? 9 : 18);
          if (entry.mtime !== undefined) expect(Number.isNaN(entry.mtime.getTime())).toBe(false);
        }
      });

      capabilityIt('list', 'lists nothing when nothing waits', async () => {
        expect(await session.list!()).toEqual([]);
      });

      abilityIt(traits.unfetchableEntries, 'list', 'leaves out an entry that cannot be fetched safely, says so, and lists the others', async () => {
        if (h.putUnfetchable === undefined) throw new Error('the harness declares unfetchableEntries but has no putUnfetchable');
        await h.putRemote('AVANT.xml', Buffer.from('<avant/>'));
        await h.putUnfetchable('PIEGE.xml');
        await h.putRemote('APRES.xml', Buffer.from('<apres/>'));
        const skipped: SkippedEntry[] = [];
        const entries = await session.list!({ onSkipped: (entry) => skipped.push(entry) });
        expect(entries.map((entry) => entry.name).sort()).toEqual(['APRES.xml', 'AVANT.xml']);
        expect(skipped).toHaveLength(1);
        expect(skipped[0]!.name).toContain('PIEGE.xml');
        expectKnownKey(skipped[0]!.key);
        // Without a listener, the same listing (the callback is optional).
        expect((await session.list!()).map((entry) => entry.name).sort()).toEqual(['APRES.xml', 'AVANT.xml']);
      });

      capabilityIt('list', 'reports hostile and unicode names exactly as announced (only a name that is a path may be left out, and said)', async () => {
        const names = HOSTILE_NAMES.filter(canHold('retrieve'));
        expect(names.length).toBeGreaterThan(5);
        for (const remoteName of names) await h.putRemote(remoteName, Buffer.from(`content of ${JSON.stringify(remoteName)}`));
        const skipped: SkippedEntry[] = [];
        const entries = await session.list!({ onSkipped: (entry) => skipped.push(entry) });
        // Never cleaned, never silently dropped: each name is either offered as it is or reported.
        expect([...entries.map((entry) => entry.name), ...skipped.map((entry) => entry.name)].sort()).toEqual([...names].sort());
        for (const entry of skipped) expectKnownKey(entry.key);
        // A name is left out only when it cannot designate one entry of the folder (a path): a file the
        // partner put there, however hostile its name, is offered, and the core names it safely.
        for (const entry of skipped) expect(entry.name, 'left out although one entry').toMatch(/\//);
        if (!hasCapability(h.definition, 'fetch')) return;
        for (const entry of entries) {
          const dest = join(scratch, `fetched-${entries.indexOf(entry)}`);
          await session.fetch!(entry, dest);
          expect((await readFile(dest)).toString(), entry.name).toBe(`content of ${JSON.stringify(entry.name)}`);
        }
      });

      capabilityIt('fetch', 'fetches the exact bytes and leaves the entry in place', async () => {
        const data = Buffer.from('<PES_Acquit>accepted</PES_Acquit>\n');
        await h.putRemote('ACQUIT.xml', data);
        const entry = await entryNamed('ACQUIT.xml');
        const dest = join(scratch, '.partial-acquit');
        const result = await session.fetch!(entry, dest, { sha256: true });
        expect(result.bytes).toBe(data.length);
        expect(await readFile(dest)).toEqual(data);
        // A protocol that hashes as it writes gives the digest of what the file holds: the engine journals it.
        if (result.sha256 !== undefined) expect(result.sha256).toBe(createHash('sha256').update(data).digest('hex'));
        if (traits.downloadTakesEntry) {
          expect((await session.list!()).map((listed) => listed.name)).not.toContain('ACQUIT.xml');
          const again = await failure(session.fetch!(entry, join(scratch, '.partial-again')));
          expectTransferError(again, 'permanent');
          if (h.remoteCount) expect(await h.remoteCount()).toBe(0);
          return;
        }
        expect((await session.list!()).map((listed) => listed.name)).toContain('ACQUIT.xml');
        if (h.remoteCount) expect(await h.remoteCount()).toBe(1);
      });

      capabilityIt('fetch', 'fetches an empty file', async () => {
        await h.putRemote('empty.xml', Buffer.alloc(0));
        const entry = await entryNamed('empty.xml');
        const dest = join(scratch, 'empty-fetched');
        expect((await session.fetch!(entry, dest)).bytes).toBe(0);
        expect((await stat(dest)).size).toBe(0);
      });

      capabilityIt('fetch', 'reports increasing progress up to the size', async () => {
        const size = 3 * MiB + 321;
        await h.putRemote('progress.bin', { size });
        const entry = await entryNamed('progress.bin');
        const seen: number[] = [];
        await session.fetch!(entry, join(scratch, 'progress'), { onProgress: (bytes) => seen.push(bytes) });
        expect(seen.length).toBeGreaterThan(0);
        for (let i = 1; i < seen.length; i += 1) expect(seen[i]!).toBeGreaterThanOrEqual(seen[i - 1]!);
        expect(seen.at(-1)).toBe(size);
      });

      capabilityIt('fetch', `fetches a ${LARGE_SIZE / MiB} MiB file with flat memory`, async () => {
        await h.putRemote('large.bin', { size: LARGE_SIZE });
        const entry = await entryNamed('large.bin');
        const dest = join(scratch, 'large-fetched');
        const { result, growth } = await measureMemory(() => session.fetch!(entry, dest, { sha256: true }));
        expect(result.bytes).toBe(LARGE_SIZE);
        expect(await sha256OfFile(dest)).toBe(sha256OfZeros(LARGE_SIZE));
        if (result.sha256 !== undefined) expect(result.sha256).toBe(sha256OfZeros(LARGE_SIZE));
        expect(growth, `RSS grew by ${Math.round(growth / MiB)} MiB`).toBeLessThan(MAX_MEMORY_GROWTH);
      });

      capabilityIt('fetch', 'an aborted fetch rejects and leaves the entry in place', async () => {
        await h.putRemote('abort.bin', { size: 16 * MiB });
        const entry = await entryNamed('abort.bin');
        const controller = new AbortController();
        const error = await failure(
          session.fetch!(entry, join(scratch, 'abort'), {
            signal: controller.signal,
            onProgress: () => controller.abort(),
          }),
        );
        expect((error as Error | undefined)?.name).toBe('AbortError');
        expect((await session.list!()).map((listed) => listed.name)).toContain('abort.bin');
      });

      abilityIt(traits.faults, 'fetch', 'a download cut half-way is transient and can be fetched again', async () => {
        const cut = h.faults?.cutDownloadHalfway;
        if (cut === undefined) throw new Error('the harness declares faults but has no cutDownloadHalfway');
        const data = Buffer.alloc(8 * MiB, 5);
        await h.putRemote('cut.bin', data);
        const entry = await entryNamed('cut.bin');
        cut.call(h.faults);
        const error = await failure(session.fetch!(entry, join(scratch, 'cut-1')));
        expectTransferError(error, 'transient');
        const retry = await h.open();
        extraSessions.push(retry);
        const again = (await retry.list!()).find((listed) => listed.name === 'cut.bin');
        expect(again).toBeDefined();
        await retry.fetch!(again!, join(scratch, 'cut-2'));
        expect(await sha256OfFile(join(scratch, 'cut-2'))).toBe(sha256(data));
      });

      capabilityIt('acknowledge', 'acknowledging takes the entry off the list (or keeps it, as configured)', async () => {
        await h.putRemote('taken.xml', Buffer.from('taken'));
        await h.putRemote('waiting.xml', Buffer.from('waiting'));
        const entry = await entryNamed('taken.xml');
        if (hasCapability(h.definition, 'fetch')) await session.fetch!(entry, join(scratch, 'taken'));
        await session.acknowledge!(entry);
        const names = (await session.list!()).map((listed) => listed.name).sort();
        const expected = h.acknowledgedEntriesRemain === true ? ['taken.xml', 'waiting.xml'] : ['waiting.xml'];
        expect(names).toEqual(expected);
        if (h.remoteCount) expect(await h.remoteCount()).toBe(expected.length);
      });

      capabilityIt('acknowledge', 'acknowledging the same entry twice is harmless', async () => {
        await h.putRemote('twice.xml', Buffer.from('twice'));
        const entry = await entryNamed('twice.xml');
        await session.acknowledge!(entry);
        await session.acknowledge!(entry);
      });
    });

    describe('check', () => {
      capabilityIt('check', 'finds nothing wrong with a healthy peer', async () => {
        const results = await session.check!();
        expect(results.length).toBeGreaterThan(0);
        for (const result of results) {
          expectWellFormedCheck(result);
          expect(result.status, `${result.id}: ${result.key}`).not.toBe('fail');
        }
      });

      capabilityIt('check', 'a write probe leaves nothing behind', async () => {
        const results = await session.check!({ writeProbe: true });
        for (const result of results) expect(result.status, `${result.id}: ${result.key}`).not.toBe('fail');
        if (hasCapability(h.definition, 'send')) expect(await h.listSentNames()).toEqual([]);
      });

      capabilityIt('check', 'reports a missing destination as a failure', async () => {
        const broken = await h.openWithMissingTarget();
        extraSessions.push(broken);
        const results = await broken.check!();
        for (const result of results) expectWellFormedCheck(result);
        expect(results.map((result) => result.status)).toContain('fail');
      });
    });
  });
}

function expectWellFormedCheck(result: { id: string; status: string; key: string; fixKey?: string }): void {
  expect(result.id).toMatch(/^[a-z][\w-]*\.[\w.-]+$/);
  expect(['ok', 'warn', 'fail']).toContain(result.status);
  expectKnownKey(result.key);
  if (result.fixKey !== undefined) expectKnownKey(result.fixKey);
}

/** What the promise was rejected with; undefined when it was fulfilled. */
export async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(() => undefined, (reason: unknown) => reason);
}

/** A TransferError of that kind, whose message exists in both languages. */
export function expectTransferError(error: unknown, kind: TransferErrorKind): TransferError {
  expect(isTransferError(error), `expected a TransferError, got ${String(error)}`).toBe(true);
  const transfer = error as TransferError;
  expect(transfer.kind, `${transfer.key} ${JSON.stringify(transfer.params)}`).toBe(kind);
  expectKnownKey(transfer.key);
  return transfer;
}

function expectKnownKey(key: string): void {
  const { en, fr } = catalogKeys();
  expect(en, `English message for ${key}`).toContain(key);
  expect(fr, `French message for ${key}`).toContain(key);
}

/** An undeclared capability: the session has no such method (the engine would refuse the session). */
function expectUnsupported(session: ProtocolSession, capability: Capability): void {
  expect(session[METHOD_OF[capability]], `session.${METHOD_OF[capability]} of an undeclared capability`).toBeUndefined();
}
