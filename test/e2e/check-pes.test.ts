// `ordo check-pes` through bin/ordo, as a script calls it: the facts of a valid PES Aller, the problems
// of the others (file, line, fix), exit codes 0 / 1 / 2, --json, French, and names from files escaped.
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ordo } from '../helpers/cli.js';
import { modulesLoaded } from '../helpers/loaded-modules.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'pes');
const VALID = 'PESALR2_21400999900017_261123_0930.xml';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ordo-check-pes-'));
  for (const name of [VALID, 'not-well-formed.xml', 'pes-retour.xml', 'no-nomfic.xml']) copyFileSync(join(FIXTURES, name), join(dir, name));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON.parse's own any: the tests read into the --json documents freely
function json(stdout: string): any {
  return JSON.parse(stdout);
}

describe('ordo check-pes', () => {
  it('a valid PES Aller: exit 0 and what it says, with no configuration anywhere', () => {
    const r = ordo(['check-pes', VALID], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      [
        `✔ ${VALID}: valid PES Aller`,
        `    NomFic: ${VALID}`,
        '    type: PESALR2',
        '    collectivité (IdColl): 21400999900017',
        '    budget (CodBud): 01',
        '    label: COMMUNE DE SAINT-EXEMPLE - BUDGET PRINCIPAL (ÉTÉ)',
        '    exercice: 2026',
        '    accounting post (IdPost): 040999',
        '    date (DteStr): 2026-11-23',
        '    bordereaux: 3',
        'Checked: 1, valid: 1, invalid: 0.',
        '',
      ].join('\n'),
    );
  });

  it('invalid files: exit 1, each problem with its file, line and fix', () => {
    const r = ordo(['check-pes', VALID, 'not-well-formed.xml', 'pes-retour.xml', 'no-nomfic.xml', 'absent.xml'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^✖ not-well-formed\.xml:67:\d+: not well-formed XML: unexpected close tag\.$/m);
    expect(r.stdout).toContain('✖ pes-retour.xml: the root element is n:PES_Retour, not PES_Aller: this is not a PES Aller\n  → Send only PES Aller files');
    expect(r.stdout).toContain('✖ no-nomfic.xml: Enveloppe/Parametres/NomFic is missing or empty\n  → ');
    expect(r.stdout).toContain('✖ absent.xml: no such file\n  → Check the path.');
    expect(r.stdout).toContain(`✔ ${VALID}: valid PES Aller`);
    expect(r.stdout).toMatch(/Checked: 5, valid: 1, invalid: 4\.\n$/);
  });

  it('--quiet: only the problems, on stderr', () => {
    const r = ordo(['check-pes', VALID, 'no-nomfic.xml', '-q'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('✖ no-nomfic.xml: Enveloppe/Parametres/NomFic is missing or empty');
    expect(r.stderr).not.toContain(VALID);
  });

  it('--max-size refuses a larger file; a size that does not parse is a usage error', () => {
    const r = ordo(['check-pes', VALID, '--max-size', '1KB'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/: the file is too large for the partner: \d+ bytes, at most 1024\n/);
    expect(ordo(['check-pes', VALID, '--max-size', '128MB'], { cwd: dir }).code).toBe(0);
    const bad = ordo(['check-pes', VALID, '--max-size', 'big'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--max-size big is not a size');
  });

  it('no file: a usage error (exit 2)', () => {
    const r = ordo(['check-pes'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
  });

  it('--json: the same as data', () => {
    const r = ordo(['check-pes', '--json', VALID, 'not-well-formed.xml'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    const doc = json(r.stdout);
    expect(doc).toMatchObject({ valid: false, exitCode: 1 });
    expect(doc.files[0]).toEqual({
      file: VALID,
      size: expect.any(Number),
      valid: true,
      root: 'n:PES_Aller',
      encoding: 'ISO-8859-1',
      found: {
        nomFic: VALID,
        typFic: 'PESALR2',
        idColl: '21400999900017',
        idPost: '040999',
        codBud: '01',
        libelleColBud: 'COMMUNE DE SAINT-EXEMPLE - BUDGET PRINCIPAL (ÉTÉ)',
        dteStr: '2026-11-23',
        exercices: ['2026'],
        bordereaux: 3,
      },
      problems: [],
    });
    expect(doc.files[1]).toMatchObject({ file: 'not-well-formed.xml', valid: false });
    expect(doc.files[1].problems).toEqual([
      { code: 'pes.notXml', message: 'not well-formed XML: unexpected close tag.', fix: expect.stringContaining('Export the PES again'), line: 67, column: expect.any(Number) },
    ]);
  });

  it('in French with --lang fr', () => {
    const r = ordo(['--lang', 'fr', 'check-pes', VALID, 'pes-retour.xml'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`✔ ${VALID}\u00a0: PES Aller valide`);
    expect(r.stdout).toContain('    collectivité (IdColl)\u00a0: 21400999900017');
    expect(r.stdout).toContain('✖ pes-retour.xml\u00a0: l’élément racine est n:PES_Retour et non PES_Aller\u00a0: ce n’est pas un PES Aller');
    expect(r.stdout).toContain('Vérifiés\u00a0: 2, valides\u00a0: 1, invalides\u00a0: 1.');
  });

  it('values and names from the file are escaped in human text, exact in --json', () => {
    const name = 'pes\u001b[2J.xml';
    writeFileSync(
      join(dir, name),
      '<PES_Aller><Enveloppe><Parametres><NomFic V="PES&#x202e;lmx.B"/></Parametres></Enveloppe><EnTetePES><IdColl V="1&#10;2"/></EnTetePES></PES_Aller>',
    );
    const r = ordo(['check-pes', name], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('✔ pes\\x1b[2J.xml: valid PES Aller');
    expect(r.stdout).toContain('    NomFic: PES\\u202elmx.B');
    expect(r.stdout).toContain('    collectivité (IdColl): 1\\n2');
    expect(r.stdout).not.toMatch(/[\u001b\u202e]/);
    const doc = json(ordo(['check-pes', '--json', name], { cwd: dir }).stdout);
    expect(doc.files[0].file).toBe(name);
    expect(doc.files[0].found.nomFic).toBe('PES\u202elmx.B');
  });
});

describe('ordo check-pes in the help', () => {
  it('is listed by the program help, and has its own, in either language', () => {
    expect(ordo(['--help'], { cwd: dir }).stdout).toMatch(/^ {2}check-pes \[options\] <file\.\.\.> +check that files are PES Aller/m);
    const en = ordo(['check-pes', '--help'], { cwd: dir });
    expect(en.code).toBe(0);
    expect(en.stdout).toMatch(/^Usage: ordo check-pes \[options\] <file\.\.\.>/);
    expect(en.stdout).toMatch(/^ {2}--max-size <size> /m);
    const fr = ordo(['--lang', 'fr', 'help', 'check-pes'], { cwd: dir });
    expect(fr.stdout.replace(/\s+/g, ' ')).toContain('vérifier que des fichiers sont des PES Aller');
  });

  it('--help loads neither the command, nor the check, nor the XML parser', () => {
    const urls = modulesLoaded(['check-pes', '--help'], dir);
    expect(urls.some((u) => u.endsWith('/dist/cli.js'))).toBe(true);
    expect(urls.filter((u) => /check-pes|pes-aller|\/node_modules\/saxes\//.test(u))).toEqual([]);
  });
});
