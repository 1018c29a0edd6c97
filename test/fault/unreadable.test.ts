// An unreadable source file among readable ones. The suite runs as root, whom chmod 000 does not stop:
// ordo runs here as root without the capabilities that bypass file permissions (CAP_DAC_OVERRIDE,
// CAP_DAC_READ_SEARCH, dropped by util-linux's setpriv), so that the read is really denied — and node,
// the repository and the site stay reachable wherever CI put them (a 0700 temporary folder included). Expected: the readable files are sent, the unreadable one stays where
// it was under its own name (not lost, not hidden, not queued), the run says why with a fix, `ordo
// diagnose` reports it, and once its permissions are repaired the next run sends it.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { entries, filesUnder, sha256, sha256OfFile, shown, strayFiles } from './harness/files.js';
import { printTable, record } from './harness/figures.js';
import { ordoRun } from './harness/run.js';
import { withoutPermissionBypass } from '../helpers/cli.js';
import { faultSite } from './harness/site.js';

/** Executes the rest as root without the capabilities that let root ignore permission bits. */
const WITHOUT_DAC = withoutPermissionBypass();

afterAll(() => printTable('unreadable source file'));

describe('an unreadable file in the source folder', () => {
  it('the others are sent, it stays where it was, the run and diagnose say why and how to fix it', async () => {
    const site = faultSite('unreadable');
    try {
      const originals = new Map<string, string>();
      for (const name of ['PES_A.xml', 'PES_B.xml', 'PES_SECRET.xml', 'PES_Z.xml']) {
        const data = Buffer.from(`<pes>${name}</pes>`.repeat(500));
        writeFileSync(join(site.source, name), data);
        originals.set(name, sha256(data));
      }
      const secret = join(site.source, 'PES_SECRET.xml');
      chmodSync(secret, 0o000);
      const as = { cwd: site.base, wrapper: WITHOUT_DAC };

      // The precondition of the case: so wrapped, node runs, reads the readable files and cannot read this one.
      const probeCommand = [...WITHOUT_DAC, process.execPath, '-e', 'require("fs").readFileSync(process.argv[1])'];
      const probe = (path: string) => spawnSync(probeCommand[0]!, [...probeCommand.slice(1), path], { encoding: 'utf8' });
      const readable = probe(join(site.source, 'PES_A.xml'));
      if (readable.error || readable.status !== 0) throw new Error(`cannot run node (under setpriv, util-linux, when root) without CAP_DAC_OVERRIDE: ${readable.error?.message ?? readable.stderr}`);
      const denied = probe(secret);
      expect(denied.status, 'root without CAP_DAC_OVERRIDE can read a chmod 000 file: the case would prove nothing').not.toBe(0);
      expect(denied.stderr).toMatch(/EACCES/);

      const first = await ordoRun(['run'], as);
      const log = existsSync(join(site.root, 'logs', 'last.log')) ? readFileSync(join(site.root, 'logs', 'last.log'), 'utf8') : '';
      const diagnose = await ordoRun(['diagnose'], as);
      const sourceAfter = entries(site.source);
      const queued = filesUnder(join(site.root, 'queue'));
      const failed = filesUnder(join(site.root, 'failed'));

      const problems: string[] = [];
      if (first.code !== 1) problems.push(`exit code ${first.code}, expected 1 (a file could not be sent):\n${first.stdout}${first.stderr}`);
      for (const name of ['PES_A.xml', 'PES_B.xml', 'PES_Z.xml']) {
        const path = join(site.target, name);
        if (!existsSync(path) || sha256OfFile(path) !== originals.get(name)) problems.push(`${name} (readable) was not delivered intact`);
      }
      if (!existsSync(secret)) problems.push(`PES_SECRET.xml is no longer in the source folder (source: ${sourceAfter.map(shown).join(', ')}; queue: ${queued.join(', ') || '-'}; failed: ${failed.join(', ') || '-'})`);
      else if (sha256OfFile(secret) !== originals.get('PES_SECRET.xml')) problems.push('PES_SECRET.xml changed in the source folder');
      if (existsSync(join(site.target, 'PES_SECRET.xml'))) problems.push('PES_SECRET.xml reached the partner although it cannot be read');
      for (const name of sourceAfter) if (name.startsWith('.')) problems.push(`hidden file left in the source folder: ${shown(name)}`);
      for (const file of queued) problems.push(`left in queue/: ${file}`);
      for (const file of failed) problems.push(`moved to failed/ (the user looks for it in the source folder): ${file}`);
      const human = `${first.stdout}\n${first.stderr}`;
      if (!human.includes('PES_SECRET.xml')) problems.push(`the run's output does not name PES_SECRET.xml:\n${human}`);
      if (!/EACCES|permission|denied|not allowed|cannot be read|droits|autoris/i.test(human)) problems.push(`the run's output does not say the file cannot be read:\n${human}`);
      // The fix: on the terminal (a "→" line) or in the log, advice on the file's permissions.
      if (!/→ |grant|give .*(read|permission)|allow|chmod|icacls|droit de (le )?lire|autoris/i.test(`${human}\n${log}`)) problems.push(`neither the output nor logs/last.log says how to fix it (no "→" line, no advice on permissions):\n${human}\n${log}`);
      if (!log.includes('PES_SECRET.xml')) problems.push(`logs/last.log does not name PES_SECRET.xml:\n${log}`);
      const diagnoseText = `${diagnose.stdout}\n${diagnose.stderr}`;
      if (!diagnoseText.includes('PES_SECRET.xml')) problems.push(`ordo diagnose does not report PES_SECRET.xml (exit ${diagnose.code}):\n${diagnoseText}`);

      // The fix it gives: make the file readable; the next run sends it, once.
      const whereNow = [secret, ...filesUnder(join(site.root, 'queue')).map((f) => join(site.root, 'queue', f)), ...entries(site.source).map((n) => join(site.source, n))].filter((path) => path.includes('PES_SECRET.xml') && existsSync(path));
      for (const path of whereNow) chmodSync(path, 0o644);
      const repaired = await ordoRun(['run'], as);
      if (repaired.code !== 0) problems.push(`after repairing the permissions: exit ${repaired.code}:\n${repaired.stdout}${repaired.stderr}`);
      const delivered = join(site.target, 'PES_SECRET.xml');
      if (!existsSync(delivered) || sha256OfFile(delivered) !== originals.get('PES_SECRET.xml')) problems.push('after repairing the permissions: PES_SECRET.xml was not delivered intact');
      const atPartner = entries(site.target).filter((name) => !name.startsWith('.'));
      if (atPartner.length !== 4) problems.push(`the partner holds ${atPartner.map(shown).join(', ')}, expected the 4 files once each`);
      for (const path of strayFiles(site.target)) problems.push(`temporary file left in the partner's folder: ${shown(path)}`);

      record({
        case: 'unreadable source file',
        files: originals.size,
        lost: existsSync(secret) || existsSync(delivered) ? 0 : 1,
        duplicated: 0,
        partial: 0,
        leftovers: sourceAfter.filter((n) => n.startsWith('.')).length + queued.length,
        notes: `run exit ${first.code}, diagnose exit ${diagnose.code}, after chmod exit ${repaired.code}`,
      });
      expect(problems, problems.join('\n')).toEqual([]);
    } finally {
      site.cleanup();
    }
  }, 60_000);
});
