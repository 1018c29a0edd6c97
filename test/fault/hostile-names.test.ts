// Hostile names on the partner's side, retrieved from a local inbox folder and from an SFTP inbox
// (OpenSSH sshd on 127.0.0.1): path traversal attempts (as file names: backslashes, drive letters,
// look-alike slashes), Windows device names, control characters, a bidi override, leading dashes, a
// 250-byte name, names differing only in case or in Unicode normalisation. Nothing may be written
// outside recus/<profile>/, every file arrives once under a safe name, and no raw control character
// reaches stdout, stderr or logs/last.log.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenSshServer, type OpenSshServer } from '../../fixtures/peers/sftp/openssh-server.mjs';
import { contentIndex, entries, filesUnder, sha256, sha256OfFile, shown } from './harness/files.js';
import { printTable, record } from './harness/figures.js';
import { describeControls, ordoRun } from './harness/run.js';
import { faultSite } from './harness/site.js';

/** Names a partner may announce; each must arrive once under a safe name. */
const HOSTILE = [
  'x\\..\\..\\..\\evil.txt',
  'fichier',
  'C:x.txt',
  'C:\\Windows\\win.ini',
  '\\\\serveur\\partage\\f.xml',
  'x\u2215..\u2215..\u2215boot.ini',
  'CON',
  'NUL.txt',
  'aux',
  'com1.xml',
  'CON .txt',
  '\u001b[2J\u001b[31mROUGE.txt',
  'saut\nde ligne.txt',
  'retour\rchariot.txt',
  'tab\there.txt',
  'del\u007f\u0085c1.txt',
  'facture\u202Efdp.exe',
  '-rf.txt',
  '--help',
  `${'L'.repeat(246)}.xml`,
  'Case.xml',
  'CASE.xml',
  'case.xml',
  'e\u0301te\u0301.xml',
  '\u00e9t\u00e9.xml',
  'mandat.xml:Zone.Identifier',
  'pipe|star*what?.txt',
  'fin. . .',
  '  espace devant.txt',
];
/**
 * Hidden names (a leading dot): taken for the partner's files in progress (documented), left where they
 * are — traversals written with a leading `..` among them.
 */
const HIDDEN = ['...', '.cache.xml', '..\\..\\..\\evil.txt', '..\\..', '..\u2215..\u2215boot.ini'];

const DEVICE = /^(con|prn|aux|nul|com[0-9\u00b9\u00b2\u00b3]|lpt[0-9\u00b9\u00b2\u00b3]|conin\$|conout\$)\s*(\.|$)/i;

/** docs/naming.md "Safe local names", as observable from outside. */
function unsafe(name: string): string | undefined {
  if (/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/u.test(name)) return 'control or bidi character';
  if (/[/\\<>:"|?*\u2215\u29f5\ufe68\uff0f\uff3c]/u.test(name)) return 'separator or reserved character';
  if (/^[. ]/.test(name) || /[. ]$/.test(name)) return 'leading or trailing dot or space';
  if (name.startsWith('-')) return 'leading dash (an option to the next command)';
  if (DEVICE.test(name)) return 'Windows device name';
  if (Buffer.byteLength(name) > 255) return 'longer than 255 bytes';
  if (name.normalize('NFC') !== name) return 'not NFC';
  return undefined;
}

let server: OpenSshServer;

beforeAll(async () => {
  server = await startOpenSshServer();
});

afterAll(async () => {
  printTable('hostile names on retrieve');
  await (server as OpenSshServer | undefined)?.stop(); // undefined when beforeAll failed
});

/** Names that a traversal would create around the folders involved. */
function around(folders: string[]): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  for (const folder of new Set(folders)) seen.set(folder, existsSync(folder) ? readdirSync(folder).sort() : []);
  return seen;
}

interface Outcome {
  /** Broken safety promises: outside recus/, unsafe names, twice, raw controls. */
  safety: string[];
  /** Files announced that did not arrive. */
  completeness: string[];
}

const outcomes = new Map<string, Promise<Outcome>>();

/** One retrieval of the hostile names per protocol, shared by its two tests. */
function outcomeFor(protocol: 'local' | 'sftp'): Promise<Outcome> {
  if (!outcomes.has(protocol)) outcomes.set(protocol, retrieveHostileNames(protocol));
  return outcomes.get(protocol)!;
}

async function retrieveHostileNames(protocol: 'local' | 'sftp'): Promise<Outcome> {
  const site = faultSite(`hostile-${protocol}`);
  let serverDir: string | undefined;
  let inbox = site.inbox;
  try {
    if (protocol === 'sftp') {
      serverDir = join(server.files, `hostile-${randomBytes(4).toString('hex')}`);
      inbox = join(serverDir, 'retours');
      mkdirSync(inbox, { recursive: true });
      site.config(
        { protocol: 'sftp', source: undefined, options: { inbox: relative(server.files, inbox) } },
        {
          profiles: {
            VILLE: {
              sftp: server.profile,
            },
          },
        },
      );
    }
    const originals = new Map<string, string>();
    for (const [index, name] of [...HOSTILE, ...HIDDEN].entries()) {
      const data = Buffer.from(`fichier n°${index} annoncé sous le nom ${JSON.stringify(name)}\n`);
      writeFileSync(join(inbox, name), data);
      originals.set(name, sha256(data));
    }
    // Private folders: any new entry counts. Shared ones (os.tmpdir(), the server's tree): names a
    // traversal would produce.
    const privateFolders = [site.base, join(site.base, 'partner'), dirname(inbox), site.root, join(site.root, 'recus')];
    const sharedFolders = [tmpdir(), dirname(tmpdir()), '/', server.files, dirname(server.files)];
    const before = around([...privateFolders, ...sharedFolders]);
    const baseBefore = new Set(filesUnder(site.base));

    const first = await ordoRun(['retrieve'], { cwd: site.base });
    const log = existsSync(join(site.root, 'logs', 'last.log')) ? readFileSync(join(site.root, 'logs', 'last.log'), 'utf8') : '';
    const second = await ordoRun(['retrieve', '--json'], { cwd: site.base });

    const problems: string[] = [];
    const completeness: string[] = [];
    if (first.code !== 0) problems.push(`retrieve exited with ${first.code}:\n${first.stdout}${first.stderr}`);
    for (const [label, text] of [['stdout', first.stdout], ['stderr', first.stderr], ['logs/last.log', log]] as const) {
      for (const line of describeControls(text)) problems.push(`raw control character in ${label}, ${line}`);
    }
    // Every file once, under a safe name.
    const arrived = contentIndex(site.recus);
    let lost = 0;
    let notFetched = 0;
    let duplicated = 0;
    for (const name of HOSTILE) {
      const holders = arrived.get(originals.get(name)!) ?? [];
      if (holders.length === 0) {
        if (existsSync(join(inbox, name))) notFetched++;
        else {
          lost++;
          problems.push(`${shown(name)} is lost: neither in recus/VILLE/ nor on the partner's side`);
        }
        completeness.push(`${shown(name)} did not arrive in recus/VILLE/${existsSync(join(inbox, name)) ? ' (still on the partner)' : ''}`);
      } else if (holders.length > 1) {
        duplicated++;
        problems.push(`${shown(name)} arrived ${holders.length} times: ${holders.map(shown).join(', ')}`);
      }
    }
    for (const name of entries(site.recus)) {
      const why = unsafe(name);
      if (why !== undefined) problems.push(`recus/VILLE/${shown(name)} is not a safe name: ${why}`);
    }
    const lowerCase = new Map<string, string[]>();
    for (const name of entries(site.recus)) lowerCase.set(name.toLowerCase(), [...(lowerCase.get(name.toLowerCase()) ?? []), name]);
    // Hidden names stay on the partner's side, untouched.
    for (const name of HIDDEN) {
      const path = join(inbox, name);
      if (!existsSync(path) || sha256OfFile(path) !== originals.get(name)) problems.push(`hidden ${shown(name)} on the partner's side was touched`);
    }
    for (const name of entries(inbox)) if (!HIDDEN.includes(name)) completeness.push(`${shown(name)} is still on the partner's side`);
    // Nothing written outside recus/VILLE/ (the spool's own bookkeeping aside).
    // The spool's own bookkeeping (docs/engine.md, "The spool"): journal and its index, logs, counters, known hosts.
    const allowed = /^ordo-data\/(recus\/VILLE\/[^/]+|journal\/[^/]+|journal-index\/.+|logs\/[^/]+|counters\.json|known_hosts)$/;
    for (const file of filesUnder(site.base)) {
      if (baseBefore.has(file) || allowed.test(file)) continue;
      if (file.startsWith('partner/out/') || file === 'ordo.config.json') continue;
      problems.push(`written outside recus/VILLE/: ${shown(file)}`);
    }
    const traversal = /evil|boot\.ini|win\.ini|serveur|partage|^f\.xml$|^Windows$/i;
    for (const [folder, names] of around([...privateFolders, ...sharedFolders])) {
      const old = new Set(before.get(folder));
      for (const name of names) {
        if (old.has(name)) continue;
        if (folder === site.base && name === 'ordo-data') continue;
        if (folder === site.root || folder === join(site.root, 'recus')) {
          if (['recus', 'journal', 'journal-index', 'logs', 'locks', 'queue', 'failed', 'backup', 'counters.json', 'known_hosts', 'VILLE'].includes(name)) continue;
        } else if (sharedFolders.includes(folder) && !privateFolders.includes(folder) && !traversal.test(name)) continue;
        problems.push(`new entry next to the folders involved: ${join(folder, shown(name))}`);
      }
    }
    if (second.code !== 0 || (JSON.parse(second.stdout) as { files: unknown[] }).files.length !== 0) problems.push(`a second retrieve still had work (exit ${second.code}): ${second.stdout}`);

    record({
      case: `hostile names, ${protocol} inbox`,
      files: HOSTILE.length,
      lost,
      duplicated,
      partial: 0,
      leftovers: entries(site.recus).filter((n) => n.startsWith('.')).length,
      notes: `${notFetched} not fetched (left on the partner's side); ${entries(site.recus).filter((n) => unsafe(n) !== undefined).length} unsafe names, ${describeControls(first.stdout + first.stderr + log).length} lines with raw controls, ${[...lowerCase.values()].filter((v) => v.length > 1).length} case-only name clashes in recus (allowed on Linux)`,
    });
    return { safety: problems, completeness };
  } finally {
    site.cleanup();
    if (serverDir) rmSync(serverDir, { recursive: true, force: true });
  }
}

describe.concurrent('hostile names announced by the partner', () => {
  for (const protocol of ['local', 'sftp'] as const) {
    it(`${protocol} inbox: nothing written outside recus/VILLE/, only safe names, none twice, no raw control character in stdout, stderr or last.log`, async () => {
      const { safety } = await outcomeFor(protocol);
      expect(safety, safety.join('\n')).toEqual([]);
    }, 60_000);
    it(`${protocol} inbox: every file announced arrives (none left on the partner's side, hidden names aside)`, async () => {
      const { completeness } = await outcomeFor(protocol);
      expect(completeness, completeness.join('\n')).toEqual([]);
    }, 60_000);
  }
});
