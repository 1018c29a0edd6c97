// The request file's exact bytes (Windows-1252, CRLF, fixed order) and the RFA templates.
import { describe, expect, it } from 'vitest';
import { encodeRequest, parseRequest, type RequestFields } from '../../../src/protocols/tedeco/request-file.js';
import { fillRfa, rfaTokenProblems } from '../../../src/protocols/tedeco/rfa.js';

const etatCivil: RequestFields = {
  request: '0042',
  data: 'fi0042.ECIVIL',
  alias: 'INSEE',
  ead: 'ECIVIL',
  type: 'etatcivil',
  rfa: 'EC0007',
  compression: 'LempelZiv',
  recordLength: 120,
  nomfic: 'EC202412.txt',
  size: 3000,
  var1: 25,
  var2: '0007',
};

describe('request file', () => {
  it('writes one key=value per CRLF line, in a fixed order', () => {
    const { bytes, replaced } = encodeRequest(etatCivil);
    expect(replaced).toEqual([]);
    expect(bytes.toString('latin1')).toBe(
      [
        'format=ordo-tedeco-1',
        'request=0042',
        'data=fi0042.ECIVIL',
        'alias=INSEE',
        'ead=ECIVIL',
        'type=etatcivil',
        'rfa=EC0007',
        'compression=LempelZiv',
        'recordLength=120',
        'nomfic=EC202412.txt',
        'size=3000',
        'var1=25',
        'var2=0007',
        '',
      ].join('\r\n'),
    );
  });

  it('writes only the variables of its type', () => {
    const { var1: _1, var2: _2, ...common } = etatCivil;
    const text = encodeRequest({ ...common, type: 'elections', var3: 2026, var4: '0003' }).bytes.toString('latin1');
    expect(text).toContain('var3=2026\r\nvar4=0003\r\n');
    expect(text).not.toMatch(/var1|var2/);
  });

  it('writes accents in Windows-1252, and ? for what it cannot hold', () => {
    const { bytes, replaced } = encodeRequest({ ...etatCivil, nomfic: 'État civil d’Île – n°2 € œ 漢.txt' });
    const byte = (value: number): Buffer => Buffer.from([value]);
    const text = (value: string): Buffer => Buffer.from(value, 'latin1');
    expect(parseRequest(bytes).get('nomfic')).toEqual(
      Buffer.concat([byte(0xc9), text('tat civil d'), byte(0x92), byte(0xce), text('le '), byte(0x96), text(' n'), byte(0xb0), text('2 '), byte(0x80), text(' '), byte(0x9c), text(' ?.txt')]),
    );
    expect(replaced).toEqual(['漢']);
  });
});

describe('RFA templates', () => {
  it('fills the variables, whatever their letter case', () => {
    expect(fillRfa('EC[ANNEE][var2]-[NomFic]', { annee: '2026', var2: '0007', nomfic: 'EC.txt' })).toBe('EC20260007-EC.txt');
    expect(fillRfa('', {})).toBe('');
    expect(fillRfa('LISTE', { var1: '3' })).toBe('LISTE');
  });

  it('reports unknown variables and those of the other type', () => {
    expect(rfaTokenProblems('EC[var2][annee][numreq][ead][alias][mois][jour]', 'etatcivil')).toEqual([]);
    expect(rfaTokenProblems('EL[var3][var4]', 'elections')).toEqual([]);
    expect(rfaTokenProblems('EC[var5][numrec]', 'etatcivil')).toEqual([
      { token: '[var5]', reason: 'unknown' },
      { token: '[numrec]', reason: 'unknown' },
    ]);
    expect(rfaTokenProblems('EL[var1]', 'elections')).toEqual([{ token: '[var1]', reason: 'otherType' }]);
    expect(rfaTokenProblems('EC[var3]', 'etatcivil')).toEqual([{ token: '[var3]', reason: 'otherType' }]);
  });
});
