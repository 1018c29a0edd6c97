// ordo diagnose: each check's status, reason and fix, on a workspace built for the purpose.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configFailure, diagnose } from '../../../src/core/diagnose.js';
import { ConfigError, UsageError } from '../../../src/shared/errors.js';
import { Journal } from '../../../src/core/journal.js';
import type { DiagnoseCheck } from '../../../src/core/results.js';
import { temporaryName } from '../../../src/shared/temp-names.js';
import { deadPid, ownTemporary } from '../../helpers/leftovers.js';

import { scenario, workspace, type Workspace } from '../../helpers/workspace.js';

let ws: Workspace | undefined;
afterEach(() => ws?.cleanup());

const byId = (checks: DiagnoseCheck[], id: string) => checks.filter((c) => c.id === id);

describe('diagnose', () => {
  it('a healthy fresh site: every check passes or only warns, exit 0, and the probe leaves nothing behind', async () => {
    ws = workspace();
    const result = await diagnose(ws.config, { scenarios: [], writeProbe: true, version: '0.0.0-test' });
    expect(result.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(byId(result.checks, 'config')[0]?.status).toBe('ok');
    expect(byId(result.checks, 'folders.root')[0]?.message).toMatch(/writable/);
    expect(byId(result.checks, 'disk')).toHaveLength(1);
    expect(byId(result.checks, 'local.target')[0]).toMatchObject({ status: 'ok', scope: 'PES' });
    expect(byId(result.checks, 'journal.lastTransfer')[0]).toMatchObject({ status: 'warn', scope: 'PES' });
    expect(readdirSync(ws.root)).toEqual([]);
    expect(readdirSync(ws.target)).toEqual([]);
  });

  it('a missing source folder and a missing partner folder fail with a fix: exit 6', async () => {
    ws = workspace((dir) => [scenario('PES', dir, { source: join(dir, 'nowhere'), options: { target: join(dir, 'absent') } })]);
    const result = await diagnose(ws.config, { scenarios: [], writeProbe: false, version: '0.0.0-test' });
    expect(result.exitCode).toBe(6);
    const folder = byId(result.checks, 'folders.scenario').find((c) => c.status === 'fail');
    expect(folder?.message).toContain(join(ws.dir, 'nowhere'));
    expect(folder?.fix).toBeDefined();
    const target = byId(result.checks, 'local.target')[0];
    expect(target?.status).toBe('fail');
    expect(target?.fix).toBeDefined();
  });

  it('temporaries left in ordo\'s own folders are shown, with which ones a run will remove', async () => {
    ws = workspace();
    const backup = ws.config.scenarios.PES!.backup.dir;
    const recus = join(ws.root, 'recus', 'VILLE');
    mkdirSync(backup, { recursive: true });
    mkdirSync(recus, { recursive: true });
    // A dead process of this machine, and a live one (this test's own process).
    writeFileSync(join(backup, ownTemporary('a.xml', deadPid())), 'x');
    writeFileSync(join(recus, temporaryName('b.xml')), 'y');
    writeFileSync(join(recus, 'done.xml'), 'z');
    const checks = byId((await diagnose(ws.config, { scenarios: [], writeProbe: false, version: '0.0.0-test' })).checks, 'folders.leftovers');
    expect(checks.map((c) => [c.status, c.message.startsWith(backup), c.message.startsWith(recus)])).toEqual([
      ['warn', true, false],
      ['warn', false, true],
    ]);
    expect(checks[0]?.message).toMatch(/1 temporary file.*: 1 from interrupted runs.*, 0 perhaps/);
    expect(checks[1]?.message).toMatch(/: 0 from interrupted runs.*, 1 perhaps still being written/);
    expect(checks[0]?.fix).toMatch(/Nothing is lost/);
  });

  it('a protocol this version does not have fails with the list of those it has', async () => {
    ws = workspace((dir) => [scenario('PIGEON', dir, { protocol: 'pigeon' })]);
    const result = await diagnose(ws.config, { scenarios: [], writeProbe: false, version: '0.0.0-test' });
    expect(byId(result.checks, 'protocol')[0]).toMatchObject({ status: 'fail', scope: 'PIGEON' });
    expect(byId(result.checks, 'protocol')[0]?.message).toMatch(/pigeon.*local/);
  });

  it('locks: who holds them, and which were left by a dead process', async () => {
    ws = workspace();
    const locks = join(ws.root, 'locks');
    mkdirSync(locks, { recursive: true });
    writeFileSync(join(locks, 'scenario-PES.lock'), JSON.stringify({ pid: process.pid, host: hostname(), since: '2024-12-03T09:00:00Z', command: 'run' }));
    writeFileSync(join(locks, 'scenario-OLD.lock'), JSON.stringify({ pid: 999_999_999, host: hostname(), since: '2024-12-01T09:00:00Z' }));
    const checks = byId((await diagnose(ws.config, { scenarios: [], writeProbe: false, version: '0.0.0-test' })).checks, 'locks');
    expect(checks.map((c) => [c.scope, c.status])).toEqual([
      ['scenario-OLD', 'warn'],
      ['scenario-PES', 'warn'],
    ]);
    expect(checks[0]?.message).toMatch(/999999999.*stopped without releasing/);
    expect(checks[1]?.message).toContain(String(process.pid));
  });

  it('the journal: interrupted sends still queued, failed downloads, the last transfer with its times', async () => {
    ws = workspace();
    const queued = ws.write(join(ws.root, 'queue', 'PES'), 'x1-mandat.xml', 'm');
    const journal = new Journal(ws.root, 'run1');
    const now = new Date();
    const at = (secondsAgo: number) => new Date(now.getTime() - secondsAgo * 1000);
    await journal.append({ scenario: 'PES', direction: 'send', state: 'sending', file: 'ok.xml', path: join(ws.root, 'queue', 'PES', 'x0-ok.xml') }, at(60));
    await journal.append({ scenario: 'PES', direction: 'send', state: 'sent', file: 'ok.xml', path: join(ws.root, 'queue', 'PES', 'x0-ok.xml') }, at(50));
    await journal.append({ scenario: 'PES', direction: 'send', state: 'sending', file: 'mandat.xml', path: queued }, at(40));
    await journal.append({ scenario: 'PES', direction: 'receive', state: 'fetch-failed', file: 'ACQUIT.xml', key: 'VILLE|local|ACQUIT.xml', reason: 'ECONNRESET' }, at(30));
    await journal.close();
    const result = await diagnose(ws.config, { scenarios: ['PES'], writeProbe: false, version: '0.0.0-test', now });
    const interrupted = byId(result.checks, 'journal.interrupted');
    expect(interrupted).toHaveLength(1);
    expect(interrupted[0]).toMatchObject({ status: 'warn', scope: 'PES' });
    expect(interrupted[0]?.message).toMatch(/mandat\.xml.*sending.*resume/);
    const fetchFailed = byId(result.checks, 'journal.fetchFailed')[0];
    expect(fetchFailed?.status).toBe('fail');
    expect(fetchFailed?.message).toMatch(/ACQUIT\.xml.*may consider this file delivered/);
    expect(fetchFailed?.fix).toMatch(/partner’s support/);
    expect(byId(result.checks, 'journal.lastTransfer')[0]?.message).toMatch(/ok\.xml sent, started .*, ended /);
    expect(result.exitCode).toBe(6);
  });

  it('a later successful download clears a failed one', async () => {
    ws = workspace();
    const journal = new Journal(ws.root, 'run1');
    await journal.append({ scenario: 'PES', direction: 'receive', state: 'fetch-failed', file: 'A.xml', key: 'k' });
    await journal.append({ scenario: 'PES', direction: 'receive', state: 'received', file: 'A.xml', key: 'k' });
    await journal.close();
    expect(byId((await diagnose(ws.config, { scenarios: [], writeProbe: false, version: '0.0.0-test' })).checks, 'journal.fetchFailed')).toEqual([]);
  });

  it('an unknown scenario is a usage error', async () => {
    ws = workspace();
    await expect(diagnose(ws.config, { scenarios: ['NOPE'], writeProbe: false, version: '0.0.0-test' })).rejects.toBeInstanceOf(UsageError);
  });

  it('a configuration that does not load: one failing check per problem, exit 6', () => {
    const result = configFailure(new ConfigError([
      { file: 'automate.ini', line: 3, key: 'root', message: 'missing' },
      { file: 'automate.ini', key: 'scenarios.A.protocol', message: 'unknown', fix: 'use local' },
    ]));
    expect(result.exitCode).toBe(6);
    expect(result.checks.map((c) => [c.status, c.message, c.fix])).toEqual([
      ['fail', 'Configuration: automate.ini:3 root: missing', expect.stringContaining('ordo config check')],
      ['fail', 'Configuration: automate.ini scenarios.A.protocol: unknown', 'use local'],
    ]);
  });
});
