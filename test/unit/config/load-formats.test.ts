// The same configuration written in JSON, YAML and INI (UTF-8, UTF-8 BOM, Windows-1252 + CRLF).
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../../src/config/load.js';
import type { OrdoConfig } from '../../../src/config/model.js';
import { crlf, tempFolder, windows1252 } from './temp.js';

const JSON_CONFIG = {
  root: './spool',
  lang: 'fr',
  watch: { interval: '90s' },
  profiles: { VILLE: { label: 'Mairie de Saint-Célestin, chaîne', insee: '40999' } },
  scenarios: {
    MANDATS: {
      profile: 'VILLE',
      protocol: 'local',
      source: 'export',
      filter: ['mandat*', '*.xml'],
      backup: { ifExists: 'keep' },
      delays: { send: '30s', retrieve: 10 },
      retries: { attempts: 5, backoff: '1s', maxDelay: '2m', maxTime: '1h' },
      retrieve: { enabled: true, afterSend: false, at: ['18:00', '8:30'] },
      hooks: { before: 'vpn-connect.bat', after: 'vpn-disconnect.bat', timeout: '30s' },
      allowEmpty: true,
      doneMarker: '.done',
      options: { target: 'depot', afterRetrieve: 'keep' },
    },
  },
};

const YAML_CONFIG = `# same as JSON
root: ./spool
lang: fr
watch:
  interval: 90s
profiles:
  VILLE:
    label: "Mairie de Saint-Célestin, chaîne"
    insee: "40999"
scenarios:
  MANDATS:
    profile: VILLE
    protocol: local
    source: export
    filter: [ "mandat*", "*.xml" ]
    backup: { ifExists: keep }
    delays: { send: 30s, retrieve: 10 }
    retries: { attempts: 5, backoff: 1s, maxDelay: 2m, maxTime: 1h }
    retrieve: { enabled: yes, afterSend: false, at: ["18:00", "8:30"] }
    hooks: { before: vpn-connect.bat, after: vpn-disconnect.bat, timeout: 30s }
    allowEmpty: true
    doneMarker: .done
    options:
      target: depot
      afterRetrieve: keep
`;

const INI_CONFIG = `; même configuration, en INI
[general]
root=spool
lang=fr
watch.interval=90s

[profile:VILLE]
label=Mairie de Saint-Célestin, chaîne
insee=40999

[scenario:MANDATS]
profile=VILLE
protocol=local
source=export
filter=mandat*;*.xml
backup.ifExists=keep
delays.send=30s
delays.retrieve=10
retries.attempts=5
retries.backoff=1s
retries.maxDelay=2m
retries.maxTime=1h
retrieve.enabled=oui
retrieve.afterSend=0
retrieve.at=18:00;8:30
hooks.before=vpn-connect.bat
hooks.after=vpn-disconnect.bat
hooks.timeout=30s
allowEmpty=yes
doneMarker=.done
options.target=depot
options.afterRetrieve=keep

[DIR:REC]
numrec=0001
`;

function expectSameModel(config: OrdoConfig, dir: string): void {
  expect(config.dir).toBe(dir);
  expect(config.root).toBe(join(dir, 'spool'));
  expect(config.lang).toBe('fr');
  expect(config.watch).toEqual({ intervalMs: 90_000 });
  expect(config.profiles.VILLE).toEqual({
    name: 'VILLE',
    label: 'Mairie de Saint-Célestin, chaîne',
    insee: '40999',
    protocols: {},
  });
  expect(config.scenarios.MANDATS).toEqual({
    name: 'MANDATS',
    enabled: true,
    profile: 'VILLE',
    protocol: 'local',
    source: join(dir, 'export'),
    filter: ['mandat*', '*.xml'],
    exclude: [],
    settleMs: 2_000,
    allowEmpty: true,
    doneMarker: '.done',
    backup: { dir: join(dir, 'spool', 'backup', 'MANDATS'), ifExists: 'keep' },
    delays: { sendMs: 30_000, retrieveMs: 10_000 },
    retries: { attempts: 5, backoffMs: 1_000, maxDelayMs: 120_000, maxTimeMs: 3_600_000 },
    retrieve: { enabled: true, afterSend: false, at: ['18:00', '08:30'] },
    hooks: { before: 'vpn-connect.bat', after: 'vpn-disconnect.bat', timeoutMs: 30_000 },
    options: { target: 'depot', afterRetrieve: 'keep' },
  });
  expect(config.naming).toEqual({ timestamp: true, rename: false, search: [] });
  expect(config.secrets).toEqual([]);
}

describe('one model, three syntaxes', () => {
  it('loads JSON', async () => {
    const dir = await tempFolder({ 'ordo.config.json': JSON.stringify(JSON_CONFIG, null, 2) });
    const config = await loadConfigFile(join(dir, 'ordo.config.json'), {});
    expect(config.format).toBe('json');
    expect(config.counters).toEqual({ kind: 'file', path: join(dir, 'spool', 'counters.json') });
    expectSameModel(config, dir);
  });

  it('loads YAML (.yaml, .yml and .ordorc)', async () => {
    const dir = await tempFolder({ 'ordo.config.yaml': YAML_CONFIG, 'b/ordo.config.yml': YAML_CONFIG, 'c/.ordorc': YAML_CONFIG });
    for (const file of ['ordo.config.yaml', 'b/ordo.config.yml', 'c/.ordorc']) {
      const config = await loadConfigFile(join(dir, file), {});
      expect(config.format).toBe('yaml');
      expectSameModel(config, resolve(dir, file, '..'));
    }
  });

  it('loads INI in UTF-8 with LF', async () => {
    const dir = await tempFolder({ 'automate.ini': INI_CONFIG });
    const config = await loadConfigFile(join(dir, 'automate.ini'), {});
    expect(config.format).toBe('ini');
    expect(config.counters).toEqual({ kind: 'ini', path: join(dir, 'automate.ini') });
    expectSameModel(config, dir);
  });

  it('loads INI in UTF-8 with BOM and CRLF', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(crlf(INI_CONFIG), 'utf8')]);
    const dir = await tempFolder({ 'automate.ini': bytes });
    expectSameModel(await loadConfigFile(join(dir, 'automate.ini'), {}), dir);
  });

  it('loads INI in Windows-1252 with CRLF, accents intact', async () => {
    const dir = await tempFolder({ 'automate.ini': windows1252(INI_CONFIG) });
    const config = await loadConfigFile(join(dir, 'automate.ini'), {});
    expect(config.profiles.VILLE?.label).toBe('Mairie de Saint-Célestin, chaîne');
    expectSameModel(config, dir);
  });

  it('reads section names case-insensitively and matches profile references the same way', async () => {
    const dir = await tempFolder({
      'AUTOMATE.INI': '[GENERAL]\nlang=EN\n[Profile:Ville]\nlabel=A\n[SCENARIO:M]\nprofile=VILLE\nprotocol=local\n[scenario:m]\nenabled=non\n',
    });
    const config = await loadConfigFile(join(dir, 'AUTOMATE.INI'), {});
    expect(config.lang).toBe('en');
    expect(Object.keys(config.profiles)).toEqual(['Ville']);
    expect(config.scenarios.M).toMatchObject({ profile: 'Ville', enabled: false });
  });
});

describe('defaults', () => {
  it('fills every default of a minimal scenario', async () => {
    const dir = await tempFolder({
      'ordo.config.json': JSON.stringify({ profiles: { P: {} }, scenarios: { S: { profile: 'P', protocol: 'local' } } }),
    });
    const config = await loadConfigFile(join(dir, 'ordo.config.json'), {});
    expect(config.root).toBe(join(dir, 'ordo-data'));
    expect(config.lang).toBeUndefined();
    expect(config.watch.intervalMs).toBe(60_000);
    expect(config.naming).toEqual({ timestamp: true, rename: false, search: [] });
    expect(config.scenarios.S).toEqual({
      name: 'S',
      enabled: true,
      profile: 'P',
      protocol: 'local',
      filter: ['*'],
      exclude: [],
      settleMs: 2_000,
      allowEmpty: false,
      backup: { dir: join(dir, 'ordo-data', 'backup', 'S'), ifExists: 'rename' },
      delays: { sendMs: 0, retrieveMs: 0 },
      retries: { attempts: 3, backoffMs: 2_000, maxDelayMs: 60_000, maxTimeMs: 600_000 },
      retrieve: { enabled: true, afterSend: true, at: [] },
      hooks: { timeoutMs: 120_000 },
      options: {},
    });
  });

  it('treats an empty INI value as "not set", and keeps absolute paths', async () => {
    const dir = await tempFolder({
      'automate.ini': `[general]\nroot=${join('/', 'srv', 'ordo')}\n[profile:P]\n[scenario:S]\nprofile=P\nprotocol=local\nsource=\nfilter=\nbackup.dir=/var/backups/S\n`,
    });
    const config = await loadConfigFile(join(dir, 'automate.ini'), {});
    expect(config.root).toBe(resolve('/srv/ordo'));
    expect(config.scenarios.S?.source).toBeUndefined();
    expect(config.scenarios.S?.filter).toEqual(['*']);
    expect(config.scenarios.S?.backup.dir).toBe(resolve('/var/backups/S'));
  });
});

describe('naming plan', () => {
  it('maps hconnect.ini beside automate.ini, keeping the order of [RECHERCHE]', async () => {
    const dir = await tempFolder({
      'automate.ini': windows1252('[profile:P]\n[scenario:S]\nprofile=P\nprotocol=local\nnaming.timestamp=1\nnaming.search.ZZZ=z\n'),
      'HCONNECT.INI': windows1252(
        '; plan de nommage\n[config]\nhorodatage=0\nRENOMMER=1\nrenommer_format=LA[annee][NUMREC].020\nautre=ignoré\n[RECHERCHE]\nRCT=mandats\nPES=acquit\nABC=échéance\n2024=année\n[AUTRE]\nx=y\n',
      ),
    });
    const config = await loadConfigFile(join(dir, 'automate.ini'), {});
    expect(config.naming).toEqual({
      timestamp: false,
      rename: true,
      format: 'LA[annee][NUMREC].020',
      search: [
        { key: 'RCT', value: 'mandats' },
        { key: 'PES', value: 'acquit' },
        { key: 'ABC', value: 'échéance' },
        { key: '2024', value: 'année' },
      ],
    });
    expect(config.scenarios.S?.naming).toEqual({ timestamp: true, search: [{ key: 'ZZZ', value: 'z' }] });
  });

  it('uses the defaults without hconnect.ini', async () => {
    const dir = await tempFolder({ 'automate.ini': '[general]\nlang=fr\n' });
    expect((await loadConfigFile(join(dir, 'automate.ini'), {}, { scenarios: 'optional' })).naming).toEqual({ timestamp: true, rename: false, search: [] });
  });

  it('reads `naming` of JSON/YAML in both table forms, and partial scenario overrides', async () => {
    const dir = await tempFolder({
      'ordo.config.json': JSON.stringify({
        naming: { rename: true, format: '[nomfic]_[annee].[ext]', search: { RCT: 'mandats', PES: 'acquit' } },
        profiles: { P: {} },
        scenarios: { S: { profile: 'P', protocol: 'local', naming: { rename: false, search: [{ key: 'X', value: 'y' }] } } },
      }),
    });
    const config = await loadConfigFile(join(dir, 'ordo.config.json'), {});
    expect(config.naming).toEqual({
      timestamp: true,
      rename: true,
      format: '[nomfic]_[annee].[ext]',
      search: [
        { key: 'RCT', value: 'mandats' },
        { key: 'PES', value: 'acquit' },
      ],
    });
    expect(config.scenarios.S?.naming).toEqual({ rename: false, search: [{ key: 'X', value: 'y' }] });
  });
});

describe('fixtures/config', () => {
  const fixtures = resolve('fixtures/config');

  it('automate.ini (Windows-1252, CRLF, comments) with hconnect.ini', async () => {
    const config = await loadConfigFile(join(fixtures, 'automate.ini'), {});
    expect(config.profiles.VILLE?.label).toBe('Mairie de Saint-Célestin – l’hôtel de ville');
    expect(Object.keys(config.scenarios)).toEqual(['MANDATS', 'ETATCIVIL']);
    expect(config.scenarios.MANDATS?.options).toEqual({
      target: 'depot/tresorerie',
      inbox: 'retours/tresorerie',
      afterRetrieve: 'move:retours/archives',
    });
    expect(config.scenarios.ETATCIVIL?.enabled).toBe(false);
    expect(config.naming.search.map((row) => row.key)).toEqual(['RCT', 'PES', 'ECH']);
    expect(config.naming.search[2]?.value).toBe('échéancier');
  });

  it('ordo.config.json and ordo.config.yaml describe the same thing', async () => {
    const json = await loadConfigFile(join(fixtures, 'ordo.config.json'), {});
    const yaml = await loadConfigFile(join(fixtures, 'ordo.config.yaml'), {});
    const { file: _a, format: _b, ...jsonModel } = json;
    const { file: _c, format: _d, ...yamlModel } = yaml;
    expect({ ...yamlModel, scenarios: {} }).toEqual({ ...jsonModel, scenarios: {} });
    expect(json.scenarios.MANDATS?.options).toEqual(yaml.scenarios.MANDATS?.options);
    expect(json.scenarios.MANDATS?.protocol).toBe('local');
  });
});
