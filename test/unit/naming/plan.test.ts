import { describe, expect, it } from 'vitest';
import type { NamingPlan } from '../../../src/config/model.js';
import { OrdoError } from '../../../src/shared/errors.js';
import {
  applyNamingPlan,
  findSearchValue,
  NAMING_TOKENS,
  nextCounterValue,
  resolvePlan,
  timestampSuffix,
  type CounterStore,
  type CounterValue,
} from '../../../src/naming/index.js';

/** 2026-03-04 09:07:05 local time: every date field has a leading zero. */
const NOW = new Date(2026, 2, 4, 9, 7, 5);

/** An in-memory counter store starting after `lastUsed`; counts the calls. */
function memoryCounters(lastUsed = '0041'): CounterStore & { calls: string[] } {
  let last = lastUsed;
  const calls: string[] = [];
  return {
    calls,
    next(counter: string): Promise<CounterValue> {
      calls.push(`next:${counter}`);
      const value = nextCounterValue(last);
      last = value.value;
      return Promise.resolve(value);
    },
    peek(counter: string): Promise<CounterValue> {
      calls.push(`peek:${counter}`);
      return Promise.resolve(nextCounterValue(last));
    },
  };
}

const SEARCH = [
  { key: 'RCT', value: 'mandats' },
  { key: 'ACQUIT', value: 'acquit' },
  { key: 'PES', value: 'pes' },
];

function plan(fields: Partial<NamingPlan> = {}): NamingPlan {
  return { timestamp: true, rename: false, search: SEARCH, ...fields };
}

async function rename(format: string, name = 'PES_RCT_mandat.xml', counters = memoryCounters()): Promise<string> {
  const result = await applyNamingPlan(plan({ rename: true, format }), { name, profile: 'VILLE', now: NOW, counters });
  return result.name;
}

describe('tokens', () => {
  const cases: Array<[token: string, expected: string]> = [
    ['[annee]', '2026'],
    ['[mois]', '03'],
    ['[jour]', '04'],
    ['[heure]', '09'],
    ['[min]', '07'],
    ['[sec]', '05'],
    ['[numrec]', '0042'],
    ['[nomprofil]', 'VILLE'],
    ['[recherche]', 'mandats'],
    ['[nomfic]', 'PES_RCT_mandat'],
    ['[ext]', 'xml'],
  ];

  it('covers every token of NAMING_TOKENS', () => {
    expect(cases.map(([token]) => token.slice(1, -1)).sort()).toEqual([...NAMING_TOKENS].sort());
  });

  it.each(cases)('%s → %s', async (token, expected) => {
    expect(await rename(`X${token}X`)).toBe(`X${expected}X`);
  });

  it.each(cases)('%s is case-insensitive', async (token, expected) => {
    expect(await rename(`X${token.toUpperCase()}X`)).toBe(`X${expected}X`);
    const mixed = `[${token.charAt(1).toUpperCase()}${token.slice(2)}`;
    expect(await rename(`X${mixed}X`)).toBe(`X${expected}X`);
  });

  it('fills the historical DGFiP format', async () => {
    expect(await rename('LA[annee][numrec].020')).toBe('LA20260042.020');
    expect(await rename('[NOMPROFIL]_[Recherche]_[JOUR][MOIS][ANNEE].[EXT]')).toBe('VILLE_mandats_04032026.xml');
  });

  it('[nomfic] and [ext] split on the last dot, from the safe name', async () => {
    expect(await rename('[nomfic]|[ext]', 'archive.tar.gz')).toBe('archive.tar_gz');
    expect(await rename('[nomfic]-[ext]', 'sans_extension')).toBe('sans_extension-');
    expect(await rename('[nomfic].[ext]', '../../CON.txt')).toBe('_CON.txt');
    expect(await rename('[nomfic].[ext]', 'sans_extension')).toBe('sans_extension');
  });

  it('takes one number per file, even when [numrec] appears twice, and none when unused', async () => {
    const counters = memoryCounters('0001');
    expect(await rename('[numrec]-[numrec]', 'a.xml', counters)).toBe('0002-0002');
    expect(await rename('[nomfic]', 'a.xml', counters)).toBe('a');
    expect(counters.calls).toEqual(['next:numrec']);
  });

  it('notes a counter that outgrows its width', async () => {
    const result = await applyNamingPlan(plan({ rename: true, format: 'LA[numrec]' }), {
      name: 'x', profile: '', now: NOW, counters: memoryCounters('9999'),
    });
    expect(result.name).toBe('LA10000');
    expect(result.notes).toContainEqual({ key: 'naming.counter.widened', params: { counter: 'numrec', value: '10000', width: 5 } });
  });

  it('uses peek in dry-run: no number consumed', async () => {
    const counters = memoryCounters('0007');
    const input = { name: 'a.xml', profile: '', now: NOW, counters, dryRun: true };
    expect((await applyNamingPlan(plan({ rename: true, format: '[numrec]' }), input)).name).toBe('0008');
    expect(counters.calls).toEqual(['peek:numrec']);
  });

  it.each(['[anne]', '[numero]', '[]', '[ annee]', '[date]'])('rejects the unknown token %s, naming it', async (token) => {
    const error = await rename(`LA${token}.020`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OrdoError);
    expect((error as OrdoError).key).toBe('naming.unknownToken');
    expect((error as OrdoError).params.token).toBe(token);
    expect((error as OrdoError).exitCode).toBe(3);
  });

  it('keeps text that is not a token, and makes the result safe', async () => {
    expect(await rename('a/b\\[annee]:.txt')).toBe('a_b_2026_.txt');
    expect(await rename('LA[annee')).toBe('LA[annee');
    expect(await rename('[nomprofil]', 'x')).toBe('VILLE');
  });
});

describe('[RECHERCHE] table', () => {
  const cases: Array<[name: string, expected: string | undefined]> = [
    ['PES_RCT_ACQUIT.xml', 'mandats'], // first key in file order, not first in the name
    ['PES_ACQUIT.xml', 'acquit'],
    ['pes_acquit.xml', 'acquit'], // case-insensitive
    ['PESV2.xml', 'pes'],
    ['budget.xml', undefined],
    ['', undefined],
  ];

  it.each(cases)('%j → %j', (name, expected) => {
    expect(findSearchValue(SEARCH, name)).toBe(expected);
  });

  it('ignores empty keys and matches accents whatever their Unicode form', () => {
    expect(findSearchValue([{ key: '', value: 'vide' }, { key: 'État', value: 'etat' }], 'releve_e\u0301tat.txt')).toBe('etat');
  });

  it('leaves [recherche] empty and notes it when nothing matches', async () => {
    const result = await applyNamingPlan(plan({ rename: true, format: '[recherche]_[nomfic].[ext]' }), {
      name: 'budget.xml', profile: 'VILLE', now: NOW, counters: memoryCounters(),
    });
    expect(result.name).toBe('_budget.xml');
    expect(result.notes).toContainEqual({ key: 'naming.search.noMatch', params: { name: 'budget.xml' } });
  });

  it('is not consulted when the format does not use [recherche]', async () => {
    const result = await applyNamingPlan(plan({ rename: true, format: '[nomfic]' }), {
      name: 'budget.xml', profile: '', now: NOW, counters: memoryCounters(),
    });
    expect(result.notes).toEqual([]);
  });
});

describe('modes and their precedence', () => {
  const cases: Array<[label: string, fields: Partial<NamingPlan>, expected: string]> = [
    ['horodatage=1 (default)', { timestamp: true }, 'PES_RCT_mandat_20260304_090705.xml'],
    ['horodatage=0', { timestamp: false }, 'PES_RCT_mandat.xml'],
    ['renommer=1 wins over horodatage=1', { timestamp: true, rename: true, format: 'LA[annee][numrec].020' }, 'LA20260042.020'],
    ['renommer=1 with horodatage=0', { timestamp: false, rename: true, format: 'LA[annee][numrec].020' }, 'LA20260042.020'],
    ['renommer=0 ignores the format', { timestamp: true, rename: false, format: 'LA[annee][numrec].020' }, 'PES_RCT_mandat_20260304_090705.xml'],
    ['renommer=1 without format falls back to horodatage', { timestamp: true, rename: true }, 'PES_RCT_mandat_20260304_090705.xml'],
    ['renommer=1 with an empty format', { timestamp: false, rename: true, format: '' }, 'PES_RCT_mandat.xml'],
  ];

  it.each(cases)('%s', async (_label, fields, expected) => {
    const result = await applyNamingPlan(plan(fields), { name: 'PES_RCT_mandat.xml', profile: 'VILLE', now: NOW, counters: memoryCounters() });
    expect(result.name).toBe(expected);
  });

  it('notes renommer=1 without a format', async () => {
    const result = await applyNamingPlan(plan({ rename: true }), { name: 'a', profile: '', now: NOW, counters: memoryCounters() });
    expect(result.notes).toContainEqual({ key: 'naming.noFormat', params: {} });
  });

  it('makes the received name safe first, and says so', async () => {
    const result = await applyNamingPlan(plan(), { name: '../CON.xml', profile: '', now: NOW, counters: memoryCounters() });
    expect(result.name).toBe('_CON_20260304_090705.xml');
    expect(result.notes).toContainEqual({ key: 'naming.sanitized', params: { from: '"../CON.xml"', to: '_CON.xml' } });
  });
});

describe('timestampSuffix', () => {
  const cases: Array<[name: string, expected: string]> = [
    ['mandat.xml', 'mandat_20260304_090705.xml'],
    ['archive.tar.gz', 'archive.tar_20260304_090705.gz'],
    ['sans_extension', 'sans_extension_20260304_090705'],
    ['LA20260042.020', 'LA20260042_20260304_090705.020'],
  ];

  it.each(cases)('%s → %s', (name, expected) => {
    expect(timestampSuffix(name, NOW)).toBe(expected);
  });

  it('uses local time, zero-padded', () => {
    expect(timestampSuffix('a', new Date(2027, 11, 31, 23, 59, 59))).toBe('a_20271231_235959');
    expect(timestampSuffix('a', new Date(2026, 0, 1, 0, 0, 0))).toBe('a_20260101_000000');
  });

  it('shortens the stem of a long name, never the suffix or the extension', () => {
    const result = timestampSuffix(`${'x'.repeat(300)}.xml`, NOW);
    expect(Buffer.byteLength(result)).toBe(255);
    expect(result.endsWith('x_20260304_090705.xml')).toBe(true);
  });
});

describe('resolvePlan: scenario `naming` over the hconnect.ini default', () => {
  const base: NamingPlan = { timestamp: true, rename: false, format: 'LA[annee][numrec].020', search: SEARCH };
  const cases: Array<[label: string, override: Partial<NamingPlan> | undefined, expected: NamingPlan]> = [
    ['no override', undefined, base],
    ['empty override', {}, base],
    ['timestamp off', { timestamp: false }, { ...base, timestamp: false }],
    ['rename on with the default format', { rename: true }, { ...base, rename: true }],
    ['a format alone means renaming with it', { format: 'R[numrec]' }, { ...base, rename: true, format: 'R[numrec]' }],
    ['a format with rename off stays off', { format: 'R[numrec]', rename: false }, { ...base, format: 'R[numrec]' }],
    ['a search table replaces the default one', { search: [{ key: 'X', value: 'x' }] }, { ...base, search: [{ key: 'X', value: 'x' }] }],
    ['an empty search table empties it', { search: [] }, { ...base, search: [] }],
  ];

  it.each(cases)('%s', (_label, override, expected) => {
    expect(resolvePlan(base, override)).toEqual(expected);
  });

  it('never shares or changes the base', () => {
    const resolved = resolvePlan(base, { timestamp: false });
    resolved.search.push({ key: 'Y', value: 'y' });
    expect(base.search).toHaveLength(3);
    expect(base.timestamp).toBe(true);
  });

  it('ignores undefined fields of an override', () => {
    const override = { timestamp: undefined, format: undefined } as unknown as Partial<NamingPlan>;
    expect(resolvePlan(base, override)).toEqual(base);
  });
});
