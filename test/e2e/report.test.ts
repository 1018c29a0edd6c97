// `ordo report` through bin/ordo: the page is written (exit 0, whatever diagnose finds), its path
// printed; secrets of the configuration and of the environment never reach it; a bad --days is a usage
// error and a page that cannot be written a local failure (exit 1).
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ordo, site, type Site } from '../helpers/cli.js';

const ENV_SECRET = 'Env-S3cret-Value';
const LITERAL_SECRET = 'Literal-Pa55word';

let s: Site | undefined;
afterEach(() => s?.cleanup());

function compactToday(): string {
  const d = new Date();
  return `${d.getFullYear()}${String(d.getMonth() + 1).padStart(2, '0')}${String(d.getDate()).padStart(2, '0')}`;
}

describe('ordo report', () => {
  it('writes ordo-report-AAAAMMJJ.html in the current folder by default and prints its path; --json gives it with the totals; --dry-run writes nothing', () => {
    s = site();
    writeFileSync(join(s.source, 'a.xml'), 'a');
    expect(ordo(['run'], { cwd: s.dir }).code).toBe(0);
    const r = ordo(['report', '--lang', 'en'], { cwd: s.dir });
    const file = join(s.dir, `ordo-report-${compactToday()}.html`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Report written to ${file}`);
    expect(readFileSync(file, 'utf8')).toMatch(/^<!DOCTYPE html>/);

    const json = ordo(['report', '--json', '--days', '2', '--output', 'out/r.html'], { cwd: s.dir });
    expect(json.code).toBe(0);
    const doc = JSON.parse(json.stdout) as { output: string; days: number; scenarios: Array<{ scenario: string; sent: number; inFailed: number }>; exitCode: number };
    expect(doc.output).toBe(join(s.dir, 'out', 'r.html'));
    expect(doc.days).toBe(2);
    expect(doc.scenarios).toMatchObject([{ scenario: 'PES', sent: 1, inFailed: 0 }]);
    expect(doc.exitCode).toBe(0);
    expect(existsSync(doc.output)).toBe(true);

    const dry = ordo(['report', '--dry-run', '--output', 'dry.html', '--lang', 'en'], { cwd: s.dir });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`The report would be written to ${join(s.dir, 'dry.html')}`);
    expect(existsSync(join(s.dir, 'dry.html'))).toBe(false);
  });

  it('exits 0 when written even though diagnose finds a failing check, and shows that check', () => {
    s = site();
    rmSync(s.target, { recursive: true });
    expect(ordo(['diagnose'], { cwd: s.dir }).code).toBe(6);
    const r = ordo(['report', '--output', 'r.html', '--lang', 'en'], { cwd: s.dir });
    expect(r.code).toBe(0);
    const html = readFileSync(join(s.dir, 'r.html'), 'utf8');
    expect(html).toMatch(/<tr class="check fail"[^>]*>.*does not exist/);
    expect(html).toMatch(/id="diagnose-summary" class="badge fail"/);
  });

  it('never shows a password of the configuration or a secret of the environment', () => {
    s = site(
      {},
      {
        profiles: {
          VILLE: { label: 'Ville', xfb: { url: 'https://xfb.example.invalid/xfb', user: 'ville', password: '${VILLE_XFB_PASSWORD}', partner: 'DGFIP', application: 'HELIOS' } },
          CCAS: { label: 'CCAS', xfb: { url: 'https://xfb.example.invalid/xfb', user: 'ccas', password: LITERAL_SECRET, partner: 'DGFIP', application: 'HELIOS' } },
        },
      },
    );
    const env = { VILLE_XFB_PASSWORD: ENV_SECRET };
    // Names that carry the secrets into the journal, failed/ and its reason file.
    writeFileSync(join(s.source, `export-${ENV_SECRET}.xml`), 'a');
    writeFileSync(join(s.source, `${LITERAL_SECRET}.xml`), 'b');
    writeFileSync(join(s.target, `${LITERAL_SECRET}.xml`), 'theirs');
    expect(ordo(['run'], { cwd: s.dir, env }).code).toBe(1);
    const r = ordo(['report', '--output', 'r.html'], { cwd: s.dir, env });
    expect(r.code).toBe(0);
    const html = readFileSync(join(s.dir, 'r.html'), 'utf8');
    // The names did reach the page, masked: the sent file as the last success, the refused one in failed/.
    expect(html).toContain('export-XXXXXXXX.xml');
    expect(html).toMatch(/data-file="XXXXXXXX\.xml"/);
    for (const secret of [ENV_SECRET, LITERAL_SECRET, encodeURIComponent(ENV_SECRET)]) {
      expect(html).not.toContain(secret);
      expect(r.stdout + r.stderr).not.toContain(secret);
    }
  });

  it('refuses a --days that is not a number of days from 1 to 366 (exit 2), and says which file it cannot write (exit 1)', () => {
    s = site();
    for (const days of ['0', '367', 'abc', '1.5']) {
      const r = ordo(['report', '--days', days, '--lang', 'en'], { cwd: s.dir });
      expect(r.code, days).toBe(2);
      expect(r.stderr, days).toContain(`--days takes a whole number of days from 1 to 366, not “${days}”`);
    }
    writeFileSync(join(s.dir, 'a-file'), 'x');
    mkdirSync(join(s.dir, 'a-folder.html'));
    const folder = ordo(['report', '--output', 'a-folder.html', '--lang', 'en'], { cwd: s.dir });
    expect(folder.code).toBe(1);
    expect(folder.stderr).toContain(`Cannot write the report ${join(s.dir, 'a-folder.html')}: it is a folder (EISDIR)`);
    // The page made under a temporary name is not left behind.
    expect(readdirSync(s.dir).filter((name) => name.includes('ordo-part'))).toEqual([]);
    const r = ordo(['report', '--output', 'a-file/r.html', '--lang', 'en'], { cwd: s.dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`Cannot write the report ${join(s.dir, 'a-file', 'r.html')}: ${join(s.dir, 'a-file')} is a file, not a folder`);
    expect(r.stderr).not.toMatch(/System error/);
  });
});
