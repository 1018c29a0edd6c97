// checkPesAller on the sample files of fixtures/pes/ and on files made here: what it finds, what it
// refuses, and a 150 MiB PES Aller read with flat memory.
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPesAller } from '../../../src/protocols/common/pes-aller.js';
import { measureMemory, MiB } from '../../contract/files.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'fixtures', 'pes');
const VALID = join(FIXTURES, 'PESALR2_21400999900017_261123_0930.xml');

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'ordo-pes-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function file(name: string, content: string | Buffer): Promise<string> {
  const path = join(scratch, name);
  await writeFile(path, content);
  return path;
}

const keys = (check: { problems: { key: string }[] }) => check.problems.map((p) => p.key);

/** A small PES Aller whose parts can be replaced. */
function pes(parts: { root?: string; parametres?: string; entete?: string; body?: string; decl?: string } = {}): string {
  const root = parts.root ?? 'PES_Aller';
  return [
    parts.decl ?? '<?xml version="1.0" encoding="UTF-8"?>',
    `<${root}>`,
    `<Enveloppe><Parametres>${parts.parametres ?? '<TypFic V="PESALR1"/><NomFic V="PESALR1_X.xml"/>'}</Parametres></Enveloppe>`,
    `<EnTetePES>${parts.entete ?? '<IdColl V="21400999900017"/><CodBud V="00"/>'}</EnTetePES>`,
    parts.body ?? '',
    `</${root}>`,
  ].join('\n');
}

describe('checkPesAller on the sample files', () => {
  it('a valid PES Aller: what it says', async () => {
    const check = await checkPesAller(VALID);
    expect(check.problems).toEqual([]);
    expect(check.valid).toBe(true);
    expect(check.root).toBe('n:PES_Aller');
    expect(check.encoding).toBe('ISO-8859-1');
    expect(check.found).toEqual({
      nomFic: 'PESALR2_21400999900017_261123_0930.xml',
      typFic: 'PESALR2',
      idColl: '21400999900017',
      idPost: '040999',
      codBud: '01',
      libelleColBud: 'COMMUNE DE SAINT-EXEMPLE - BUDGET PRINCIPAL (ÉTÉ)',
      dteStr: '2026-11-23',
      exercices: ['2026'],
      bordereaux: 3,
    });
  });

  it('not well-formed: the parser’s reason, line and column', async () => {
    const check = await checkPesAller(join(FIXTURES, 'not-well-formed.xml'));
    expect(check.valid).toBe(false);
    expect(keys(check)).toEqual(['pes.notXml']);
    expect(check.problems[0]).toMatchObject({ line: 67, params: { line: 67 } });
    expect(check.problems[0]!.column).toBeGreaterThan(0);
    expect(String(check.problems[0]!.params.reason)).toMatch(/close tag/);
    // What was read before the error, and nothing the parser went on reading after it.
    expect(check.found).toMatchObject({ nomFic: 'PESALR2_21400999900017_261123_0930.xml', idColl: '21400999900017', bordereaux: 1 });
  });

  it('another root (a PES Retour)', async () => {
    const check = await checkPesAller(join(FIXTURES, 'pes-retour.xml'));
    expect(check.problems).toEqual([{ key: 'pes.notPesAller', params: { root: 'n:PES_Retour' } }]);
    // Nothing is read from a file that is not a PES Aller.
    expect(check.found).toEqual({ exercices: [], bordereaux: 0 });
  });

  it('no NomFic', async () => {
    const check = await checkPesAller(join(FIXTURES, 'no-nomfic.xml'));
    expect(keys(check)).toEqual(['pes.noNomFic']);
    expect(check.found.idColl).toBe('21400999900017');
    expect(check.found.bordereaux).toBe(3);
  });
});

describe('checkPesAller', () => {
  it('reads NomFic (and the other fields) from the text content when there is no V attribute', async () => {
    const path = await file('text.xml', pes({ parametres: '<NomFic> PESALR2_TEXTE.xml </NomFic>', entete: '<IdColl><![CDATA[21400999900017]]></IdColl>' }));
    const check = await checkPesAller(path);
    expect(check.problems).toEqual([]);
    expect(check.found.nomFic).toBe('PESALR2_TEXTE.xml');
    expect(check.found.idColl).toBe('21400999900017');
  });

  it('an empty NomFic or IdColl counts as missing', async () => {
    const path = await file('empty.xml', pes({ parametres: '<NomFic V=" "/>', entete: '<IdColl></IdColl>' }));
    expect(keys(await checkPesAller(path))).toEqual(['pes.noNomFic', 'pes.noIdColl']);
  });

  it('NomFic and IdColl count only at their place in the envelope and header', async () => {
    const path = await file('elsewhere.xml', pes({ parametres: '', entete: '', body: '<PES_DepenseAller><NomFic V="X"/><IdColl V="1"/></PES_DepenseAller>' }));
    expect(keys(await checkPesAller(path))).toEqual(['pes.noNomFic', 'pes.noIdColl']);
  });

  it('counts the bordereaux of spending and revenue and keeps each exercice once', async () => {
    const bordereau = (exer: string) => `<Bordereau><BlocBordereau><Exer V="${exer}"/></BlocBordereau><Piece><Bordereau/></Piece></Bordereau>`;
    const body = `<PES_DepenseAller>${bordereau('2025')}${bordereau('2025')}</PES_DepenseAller><PES_RecetteAller>${bordereau('2026')}</PES_RecetteAller><PES_PJ><Bordereau/></PES_PJ>`;
    const check = await checkPesAller(await file('count.xml', pes({ body })));
    expect(check.found.bordereaux).toBe(3);
    expect(check.found.exercices).toEqual(['2025', '2026']);
  });

  it('decodes ISO-8859-1 as declared, and UTF-8 by default', async () => {
    const latin1 = Buffer.from(pes({ decl: '<?xml version="1.0" encoding="ISO-8859-1"?>', entete: '<IdColl V="1"/><LibelleColBud V="RÉGIE"/>' }), 'latin1');
    expect((await checkPesAller(await file('latin1.xml', latin1))).found.libelleColBud).toBe('RÉGIE');
    const utf8 = Buffer.from(pes({ decl: '', entete: '<IdColl V="1"/><LibelleColBud V="RÉGIE"/>' }).trimStart(), 'utf8');
    const check = await checkPesAller(await file('utf8.xml', utf8));
    expect(check.encoding).toBe('UTF-8');
    expect(check.found.libelleColBud).toBe('RÉGIE');
  });

  it('follows a byte order mark (UTF-16)', async () => {
    const text = pes({ decl: '<?xml version="1.0" encoding="UTF-16"?>', entete: '<IdColl V="1"/><LibelleColBud V="RÉGIE"/>' });
    const check = await checkPesAller(await file('utf16.xml', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])));
    expect(check.problems).toEqual([]);
    expect(check.encoding).toBe('UTF-16LE');
    expect(check.found.libelleColBud).toBe('RÉGIE');
  });

  it('bytes that are not valid UTF-8 in a UTF-8 file', async () => {
    const bytes = Buffer.from(pes({ entete: '<IdColl V="1"/><LibelleColBud V="RÉGIE"/>' }), 'latin1');
    expect(keys(await checkPesAller(await file('bad-utf8.xml', bytes)))).toEqual(['pes.badBytes']);
  });

  it('an encoding it cannot read', async () => {
    const check = await checkPesAller(await file('ebcdic.xml', pes({ decl: '<?xml version="1.0" encoding="X-NOPE"?>' })));
    expect(check.problems).toEqual([{ key: 'pes.encoding', params: { encoding: 'X-NOPE' } }]);
  });

  it('too large for the partner, with the rest still checked', async () => {
    const path = await file('large.xml', pes({ parametres: '' }));
    const check = await checkPesAller(path, { maxBytes: 10 });
    expect(keys(check)).toEqual(['pes.tooLarge', 'pes.noNomFic']);
    expect(check.problems[0]!.params).toEqual({ size: check.size, max: 10 });
    expect((await checkPesAller(path, { maxBytes: check.size })).problems.map((p) => p.key)).toEqual(['pes.noNomFic']);
  });

  it('an empty file, a cut-off file, text after the root', async () => {
    expect(keys(await checkPesAller(await file('empty-file.xml', '')))).toEqual(['pes.notXml']);
    const cut = pes().slice(0, 150);
    const truncated = await checkPesAller(await file('cut.xml', cut));
    // Cut short: NomFic or IdColl may well be further on, so only the XML error is told.
    expect(keys(truncated)).toEqual(['pes.notXml']);
    expect(keys(await checkPesAller(await file('after.xml', `${pes()}\n<PES_Aller/>`)))).toEqual(['pes.notXml']);
  });

  it('a missing file, a folder', async () => {
    expect(await checkPesAller(join(scratch, 'nope.xml'))).toMatchObject({ valid: false, size: 0, problems: [{ key: 'pes.missing' }] });
    expect(keys(await checkPesAller(scratch))).toEqual(['pes.notFile']);
  });

  it('keeps control characters of values as they are (the output escapes them)', async () => {
    const check = await checkPesAller(await file('controls.xml', pes({ parametres: '<NomFic V="A&#10;B&#x202e;lmx.C&#x85;"/>' })));
    expect(check.problems).toEqual([]);
    expect(check.found.nomFic).toBe('A\nB\u202elmx.C\u0085');
  });
});

describe('checkPesAller on a 150 MiB PES Aller', () => {
  const SIZE = 150 * MiB;
  let large: string;
  let bordereaux = 0;

  beforeAll(async () => {
    large = join(scratch, 'PESALR2_LARGE.xml');
    const piece = '<Piece><BlocPiece><InfoPce><IdPce V="1"/><Obj V="OBJET DE LA PIÈCE"/></InfoPce></BlocPiece></Piece>\n'.repeat(40);
    const one = `<Bordereau><BlocBordereau><Exer V="2026"/><IdBord V="1"/></BlocBordereau>\n${piece}</Bordereau>\n`;
    const head = pes({ body: '<PES_DepenseAller>' }).replace(/<\/PES_Aller>$/, '');
    const count = Math.ceil(SIZE / Buffer.byteLength(one));
    bordereaux = count;
    function* chunks(): Generator<string> {
      yield head;
      for (let i = 0; i < count; i += 100) yield one.repeat(Math.min(100, count - i));
      yield '</PES_DepenseAller>\n</PES_Aller>\n';
    }
    await pipeline(Readable.from(chunks()), createWriteStream(large));
  }, 120_000);

  it('is read to its end with flat memory', async () => {
    const { result, growth } = await measureMemory(() => checkPesAller(large));
    expect(result.problems).toEqual([]);
    expect(result.size).toBeGreaterThan(SIZE);
    expect(result.found.bordereaux).toBe(bordereaux);
    expect(growth, `RSS grew by ${Math.round(growth / MiB)} MiB`).toBeLessThan(64 * MiB);
  }, 120_000);
});

describe('checkPesAller on hostile structure', () => {
  it('a deeply nested file costs no long paths, and NomFic deeper down does not count', async () => {
    const depth = 20_000;
    const body = `<PES_DepenseAller>${'<Bordereau>'.repeat(depth)}${'</Bordereau>'.repeat(depth)}</PES_DepenseAller>`;
    const parametres = '<NomFic><Deeper><NomFic V="X"/></Deeper></NomFic>';
    const check = await checkPesAller(await file('deep.xml', pes({ body, parametres })));
    expect(check.found.bordereaux).toBe(1);
    expect(keys(check)).toEqual(['pes.noNomFic']);
  });
});
