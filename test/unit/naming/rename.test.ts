import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OrdoConfig, ScenarioConfig } from '../../../src/config/model.js';
import { OrdoError } from '../../../src/shared/errors.js';
import { renameFiles } from '../../../src/core/rename.js';
import { setLang } from '../../../src/i18n/index.js';
import { legacyAutomateIni } from '../../helpers/automate-ini.js';

const NOW = new Date(2026, 2, 4, 9, 7, 5);
let dir: string;
let files: string;
let config: OrdoConfig;

function scenario(name: string, profile: string, naming?: ScenarioConfig['naming']): ScenarioConfig {
  return {
    name, enabled: true, profile, protocol: 'local', filter: [], exclude: [], settleMs: 0, allowEmpty: false,
    backup: { dir: join(dir, 'backup'), ifExists: 'rename' },
    delays: { sendMs: 0, retrieveMs: 0 },
    retries: { attempts: 1, backoffMs: 0, maxDelayMs: 0, maxTimeMs: 0 },
    retrieve: { enabled: true, afterSend: false, at: [] },
    hooks: { timeoutMs: 0 },
    ...(naming === undefined ? {} : { naming }),
    options: {},
  };
}

beforeAll(() => setLang('en'));
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ordo-rename-'));
  files = join(dir, 'files');
  await mkdir(files);
  await writeFile(join(dir, 'automate.ini'), legacyAutomateIni('0041'));
  config = {
    file: join(dir, 'automate.ini'), dir, format: 'ini', root: join(dir, 'data'),
    watch: { intervalMs: 60_000 },
    naming: { timestamp: true, rename: false, search: [{ key: 'RCT', value: 'mandats' }] },
    counters: { kind: 'ini', path: join(dir, 'automate.ini') },
    profiles: { VILLE: { name: 'VILLE', protocols: {} }, CCAS: { name: 'CCAS', protocols: {} } },
    scenarios: {
      RETOURS: scenario('RETOURS', 'VILLE', { rename: true, format: 'LA[annee][numrec].020' }),
      BRUTS: scenario('BRUTS', 'CCAS', { timestamp: false }),
    },
    secrets: [],
  };
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function given(...names: string[]): Promise<string[]> {
  return Promise.all(names.map(async (name) => {
    const path = join(files, name);
    await writeFile(path, `content of ${name}`);
    return path;
  }));
}

const listing = async () => (await readdir(files)).sort();
const storedNumrec = async () => /NumRec = (\d+)/.exec((await readFile(join(dir, 'automate.ini'))).toString('latin1'))?.[1];

describe('renameFiles', () => {
  it('applies the default plan (timestamp) in place', async () => {
    const [a] = await given('mandat.xml');
    const result = await renameFiles(config, [a!], { dryRun: false, now: NOW });
    expect(result.files).toEqual([
      { from: a, to: join(files, 'mandat_20260304_090705.xml'), status: 'renamed', notes: [] },
    ]);
    expect(await listing()).toEqual(['mandat_20260304_090705.xml']);
    expect(await readFile(join(files, 'mandat_20260304_090705.xml'), 'utf8')).toBe('content of mandat.xml');
  });

  it("uses the scenario's plan and counter, saving the counter", async () => {
    const paths = await given('r1.txt', 'r2.txt', 'r3.txt');
    const result = await renameFiles(config, paths, { scenario: 'RETOURS', dryRun: false, now: NOW });
    expect(result.files.map((f) => [f.status, f.to])).toEqual([
      ['renamed', join(files, 'LA20260042.020')],
      ['renamed', join(files, 'LA20260043.020')],
      ['renamed', join(files, 'LA20260044.020')],
    ]);
    expect(await storedNumrec()).toBe('0044');
    expect((await readFile(join(dir, 'automate.ini'))).equals(legacyAutomateIni('0044'))).toBe(true);
  });

  it('--dry-run prints old → new and changes no file and no counter', async () => {
    const paths = await given('r1.txt', 'r2.txt');
    await writeFile(join(files, 'LA20260043.020'), 'already here');
    const result = await renameFiles(config, paths, { scenario: 'RETOURS', dryRun: true, now: NOW });
    expect(result.files.map((f) => [f.status, f.to])).toEqual([
      ['would-rename', join(files, 'LA20260042.020')],
      ['would-rename', join(files, 'LA20260043_1.020')],
    ]);
    expect(result.files[1]?.notes).toEqual(['LA20260043.020 already exists: saved as LA20260043_1.020']);
    expect(await listing()).toEqual(['LA20260043.020', 'r1.txt', 'r2.txt']);
    expect(await storedNumrec()).toBe('0041');
  });

  it('--dry-run promises each name once', async () => {
    const paths = await given('a.xml', 'b.xml');
    const result = await renameFiles(config, paths, { format: 'same.xml', dryRun: true, now: NOW });
    expect(result.files.map((f) => f.to)).toEqual([join(files, 'same.xml'), join(files, 'same_1.xml')]);
  });

  it('--format wins over the scenario, which still gives the profile and the search table', async () => {
    const [a] = await given('PES_RCT.xml');
    const result = await renameFiles(config, [a!], {
      scenario: 'RETOURS', format: '[NomProfil]-[recherche]-[nomfic].[ext]', dryRun: false, now: NOW,
    });
    expect(result.files[0]?.to).toBe(join(files, 'VILLE-mandats-PES_RCT.xml'));
    expect(await storedNumrec()).toBe('0041');
  });

  it('--profile gives [nomprofil]; without scenario or profile it is empty', async () => {
    const [a, b] = await given('a.xml', 'b.xml');
    const withProfile = await renameFiles(config, [a!], { profile: 'CCAS', format: '[nomprofil]_[nomfic]', dryRun: false, now: NOW });
    expect(withProfile.files[0]?.to).toBe(join(files, 'CCAS_a'));
    const without = await renameFiles(config, [b!], { format: '[nomprofil]_[nomfic]', dryRun: false, now: NOW });
    expect(without.files[0]?.to).toBe(join(files, '_b'));
  });

  it('never overwrites an existing file: suffix and note', async () => {
    const [a] = await given('x.xml');
    await writeFile(join(files, 'LA20260042.020'), 'precious');
    const result = await renameFiles(config, [a!], { scenario: 'RETOURS', dryRun: false, now: NOW });
    expect(result.files[0]).toMatchObject({
      status: 'renamed',
      to: join(files, 'LA20260042_1.020'),
      notes: ['LA20260042.020 already exists: saved as LA20260042_1.020'],
    });
    expect(await readFile(join(files, 'LA20260042.020'), 'utf8')).toBe('precious');
  });

  it('reports a missing file and goes on with the others', async () => {
    const [a] = await given('a.xml');
    const missing = join(files, 'absent.xml');
    const result = await renameFiles(config, [missing, a!, files], { scenario: 'BRUTS', format: 'B_[nomfic].[ext]', dryRun: false, now: NOW });
    expect(result.files).toEqual([
      { from: missing, to: missing, status: 'error', reason: `${missing}: no such file`, notes: [] },
      { from: a, to: join(files, 'B_a.xml'), status: 'renamed', notes: [] },
      { from: files, to: files, status: 'error', reason: `${files} is not a regular file`, notes: [] },
    ]);
  });

  it('leaves a file whose name the plan keeps unchanged', async () => {
    const [a] = await given('stable.xml');
    const result = await renameFiles(config, [a!], { scenario: 'BRUTS', dryRun: false, now: NOW });
    expect(result.files[0]).toEqual({ from: a, to: a, status: 'unchanged', notes: [] });
  });

  it('keeps a name that is already safe; makes an unsafe one safe and says so', async () => {
    const [a] = await given('bad name .xml');
    const result = await renameFiles(config, [a!], { scenario: 'BRUTS', dryRun: false, now: NOW });
    expect(result.files[0]?.status).toBe('unchanged');
    const [b] = await given('a\u0001b.xml');
    const made = await renameFiles(config, [b!], { scenario: 'BRUTS', dryRun: false, now: NOW });
    expect(made.files[0]).toMatchObject({ status: 'renamed', to: join(files, 'ab.xml') });
    expect(made.files[0]?.notes[0]).toContain('ab.xml');
  });

  it.each([
    [{ scenario: 'NOPE' }, 'naming.rename.unknownScenario'],
    [{ profile: 'NOPE' }, 'naming.rename.unknownProfile'],
    [{ format: 'LA[anne].020' }, 'naming.rename.unknownToken'],
    [{ format: ' ' }, 'naming.rename.emptyFormat'],
  ])('refuses %j as a usage error', async (options, key) => {
    const [a] = await given('a.xml');
    const error = await renameFiles(config, [a!], { ...options, dryRun: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OrdoError);
    expect(error).toMatchObject({ key, exitCode: 2 });
    expect(await listing()).toEqual(['a.xml']);
  });

  it('stops on a counter that cannot be read (configuration error)', async () => {
    await writeFile(join(dir, 'automate.ini'), '[DIR:REC]\r\nnumrec=abc\r\n');
    const [a] = await given('a.xml');
    await expect(renameFiles(config, [a!], { scenario: 'RETOURS', dryRun: false })).rejects.toMatchObject({
      key: 'naming.counter.invalid',
      exitCode: 3,
    });
    expect(await listing()).toEqual(['a.xml']);
  });
});
