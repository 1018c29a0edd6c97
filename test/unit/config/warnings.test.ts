// `settle: 0s` loads, with a warning that names the scenario and says when it is safe: in the loaded
// configuration (for `config check`), in the ✔ of `config check`, and as a ⚠ of `diagnose`.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../../src/config/load.js';
import { diagnose } from '../../../src/core/diagnose.js';
import { renderConfigValid } from '../../../src/output/human/config.js';
import { scenario, workspace, type Workspace } from '../../helpers/workspace.js';
import { crlf, tempFolder } from './temp.js';

let ws: Workspace | undefined;
afterEach(() => ws?.cleanup());

describe('the settle warning when loading', () => {
  it('only for a scenario with a source, settle 0 and no done marker: placed, and says when it is safe', async () => {
    const scenario = (extra: Record<string, unknown>) => ({ profile: 'VILLE', protocol: 'local', ...extra });
    const config = {
      profiles: { VILLE: {} },
      scenarios: {
        MARKED: scenario({ source: './a', settle: '0s', doneMarker: '.done' }),
        PES: scenario({ source: './export', settle: '0s' }),
        SLOW: scenario({ source: './b', settle: '1s' }),
        USUAL: scenario({ source: './c' }),
        RETURNS: scenario({ settle: 0 }),
      },
    };
    const dir = await tempFolder({ 'ordo.config.json': JSON.stringify(config) });
    const loaded = await loadConfigFile(join(dir, 'ordo.config.json'), {});
    expect(loaded.warnings).toEqual([
      {
        file: join(dir, 'ordo.config.json'),
        key: 'scenarios.PES.settle',
        // JSON.stringify wrote it on one line.
        line: 1,
        column: JSON.stringify(config).indexOf('"settle":"0s"}', JSON.stringify(config).indexOf('"PES"')) + 1,
        message: 'Scenario PES: scenarios.PES.settle is 0, so a file is taken as soon as it appears; a file its producer is still writing can reach the partner cut in two.',
        fix: expect.stringMatching(/^This is safe only if the producer writes each file elsewhere and moves it into the source folder once complete, or with doneMarker/),
      },
    ]);
  });

  it('in automate.ini: the line and section of the key', async () => {
    const ini = crlf(['[profile:VILLE]', '[scenario:PES]', 'profile=VILLE', 'protocol=local', 'source=./export', 'settle=0', ''].join('\n'));
    const dir = await tempFolder({ 'automate.ini': ini });
    const [warning] = (await loadConfigFile(join(dir, 'automate.ini'), {})).warnings ?? [];
    expect(warning).toMatchObject({ key: 'scenarios.PES.settle', section: 'scenario:PES', line: 6 });
    expect(warning?.message).toBe('Scenario PES: settle is 0, so a file is taken as soon as it appears; a file its producer is still writing can reach the partner cut in two.');
  });

  it('config check shows each warning with ⚠ under the ✔', () => {
    const lines = renderConfigValid(
      {
        file: '/site/automate.ini',
        format: 'ini',
        profiles: 1,
        scenarios: 1,
        warnings: [{ file: '/site/automate.ini', key: 'scenarios.PES.settle', section: 'scenario:PES', line: 6, message: 'Scenario PES: settle is 0.', fix: 'Safe only if…' }],
      },
      '/site',
    );
    expect(lines.map((l) => [l.kind, l.mark, l.text])).toEqual([
      ['info', '✔', 'Configuration valid: automate.ini (profiles: 1, scenarios: 1).'],
      ['info', '⚠', 'automate.ini:6 [scenario:PES] settle: Scenario PES: settle is 0. — Safe only if…'],
    ]);
  });
});

describe('the settle warning in diagnose', () => {
  it('a ⚠ for the scenario that takes files at once, none for one with a done marker; exit 0', async () => {
    ws = workspace((dir) => [scenario('PES', dir, { settleMs: 0 }), scenario('TITRES', dir, { settleMs: 0, doneMarker: '.done' }), scenario('ACTES', dir, { settleMs: 2000 })]);
    const result = await diagnose(ws.config, { scenarios: [], writeProbe: false, version: '0.0.0-test' });
    const settle = result.checks.filter((c) => c.id === 'config.settle');
    expect(settle).toEqual([
      {
        id: 'config.settle',
        status: 'warn',
        scope: 'PES',
        message: 'Scenario PES: settle is 0, so a file is taken as soon as it appears; a file its producer is still writing can reach the partner cut in two.',
        fix: expect.stringMatching(/doneMarker/),
      },
    ]);
  });
});
