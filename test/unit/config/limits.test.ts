// Reading a configuration has bounds, whatever the file holds: its size, what its YAML aliases expand
// to, its depth, the length of a value quoted in a message, and the number of problems written out.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_CONFIG_BYTES, MAX_CONFIG_VALUES } from '../../../src/config/limits.js';
import { loadConfigFile } from '../../../src/config/load.js';
import type { ConfigProblem } from '../../../src/shared/errors.js';
import { renderConfigProblems } from '../../../src/output/human/config.js';
import { configError, tempFolder } from './temp.js';

const VALID = { profiles: { VILLE: {} }, scenarios: { PES: { profile: 'VILLE', protocol: 'local', source: '.', settle: '2s' } } };

/** Aliases of aliases: `levels` levels of `width` references each, `width^levels` values once expanded. */
function aliasBomb(levels: number, width: number, under = 'lol'): string {
  const lines = ['a0: &a0 ["lol"]'];
  for (let level = 1; level <= levels; level++) {
    lines.push(`a${level}: &a${level} [${Array.from({ length: width }, () => `*a${level - 1}`).join(', ')}]`);
  }
  lines.push(`${under}: *a${levels}`);
  return `${lines.join('\n')}\n`;
}

describe('the size of the file', () => {
  it('a file over the limit is refused, naming the file and the fix; one at the limit loads', async () => {
    const big = `${JSON.stringify(VALID)}${' '.repeat(MAX_CONFIG_BYTES)}`;
    const dir = await tempFolder({ 'ordo.config.json': big });
    const error = await configError(loadConfigFile(join(dir, 'ordo.config.json'), {}));
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]?.message).toBe(
      `${join(dir, 'ordo.config.json')} is too large for a configuration file (${big.length} bytes; at most ${MAX_CONFIG_BYTES} bytes are read).`,
    );
    expect(error.problems[0]?.fix).toMatch(/right file/);

    const text = JSON.stringify(VALID);
    const under = await tempFolder({ 'ordo.config.json': `${text}${' '.repeat(MAX_CONFIG_BYTES - text.length)}` });
    const config = await loadConfigFile(join(under, 'ordo.config.json'), {});
    expect(Object.keys(config.scenarios)).toEqual(['PES']);
  });

  it('a pipe is refused without being opened (opening it would wait for a writer)', async () => {
    const dir = await tempFolder();
    const fifo = join(dir, 'ordo.config.yaml');
    if (spawnSync('mkfifo', [fifo]).status !== 0) {
      // No FIFOs on Windows: a folder given as the file stands for every non-regular file there.
      const error = await configError(loadConfigFile(dir, {}));
      expect(error.problems[0]?.message).toMatch(/is a folder, not a regular file/);
      return;
    }
    const error = await configError(loadConfigFile(fifo, {}));
    expect(error.problems[0]?.message).toBe(`${fifo} is a pipe, not a regular file: ordo reads its configuration from a file only.`);
  });
});

describe('YAML aliases and depth', () => {
  it('a "billion laughs" is refused at once, as one problem that says what to do', async () => {
    const dir = await tempFolder({ 'ordo.config.yaml': aliasBomb(9, 10) });
    const error = await configError(loadConfigFile(join(dir, 'ordo.config.yaml'), {}));
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]?.message).toBe(
      `The YAML aliases (*name) of ${join(dir, 'ordo.config.yaml')} would expand to more than ${MAX_CONFIG_VALUES} values.`,
    );
    expect(error.problems[0]?.fix).toMatch(/billion laughs/);
  });

  it('a smaller bomb hidden where any value is accepted (a protocol’s options) is refused too, while ordinary aliases load', async () => {
    const yaml = aliasBomb(6, 10, 'x').replace(/^x: (\*a6)$/m, [
      'profiles: { VILLE: {} }',
      'scenarios:',
      '  PES: { profile: VILLE, protocol: local, options: $1 }',
    ].join('\n'));
    const dir = await tempFolder({ 'ordo.config.yaml': yaml });
    const error = await configError(loadConfigFile(join(dir, 'ordo.config.yaml'), {}));
    expect(error.problems.map((p) => p.message)).toEqual([expect.stringMatching(/YAML aliases/)]);

    // Aliases used the ordinary way still load.
    const ordinary = [
      'profiles: { VILLE: {} }',
      'scenarios:',
      '  A: &common { profile: VILLE, protocol: local, settle: 5s, source: ./a }',
      '  B: { <<: *common, source: ./b }',
      '',
    ].join('\n');
    const fine = await tempFolder({ 'ordo.config.yaml': ordinary });
    const config = await loadConfigFile(join(fine, 'ordo.config.yaml'), {});
    expect(Object.values(config.scenarios).map((s) => [s.name, s.settleMs])).toEqual([['A', 5000], ['B', 5000]]);
  });

  it('nesting deeper than a configuration ever needs is refused (nothing walks it)', async () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const dir = await tempFolder({ 'ordo.config.json': `{ "root": ${deep} }` });
    const error = await configError(loadConfigFile(join(dir, 'ordo.config.json'), {}));
    expect(error.problems.map((p) => p.message)).toEqual([expect.stringMatching(/nests groups or lists more than 64 levels/)]);
  });
});

describe('values quoted in messages', () => {
  it('a huge bad value is quoted by its first 80 characters, then …', async () => {
    const dir = await tempFolder({
      'ordo.config.json': JSON.stringify({ ...VALID, scenarios: { PES: { ...VALID.scenarios.PES, retries: { attempts: '${BIG}' }, settle: 'z'.repeat(300) } } }),
    });
    const error = await configError(loadConfigFile(join(dir, 'ordo.config.json'), { BIG: 'y'.repeat(10_000_000) }));
    expect(error.problems).toHaveLength(2);
    for (const problem of error.problems) {
      expect(problem.message.length).toBeLessThan(300);
      expect(problem.message).toContain('…');
    }
    expect(error.problems.find((p) => p.key.endsWith('attempts'))?.message).toContain(`"${'y'.repeat(80)}…"`);

    // A long secret is masked before it is shortened: a cut secret would no longer be recognised.
    const secret = `tok-${'s'.repeat(200)}`;
    const secretDir = await tempFolder({
      'ordo.config.json': JSON.stringify({ ...VALID, scenarios: { PES: { ...VALID.scenarios.PES, retries: { attempts: '${API_TOKEN}' } } } }),
    });
    const masked = await configError(loadConfigFile(join(secretDir, 'ordo.config.json'), { API_TOKEN: secret }));
    expect(masked.problems[0]?.message).toContain('XXXXXXXX');
    expect(masked.problems[0]?.message).not.toContain('tok-');
  });

  it('a huge unknown key is shortened in the key and in the message', async () => {
    const key = `k${'e'.repeat(5000)}`;
    const dir = await tempFolder({ 'ordo.config.json': JSON.stringify({ ...VALID, [key]: 1 }) });
    const error = await configError(loadConfigFile(join(dir, 'ordo.config.json'), {}));
    expect(error.problems[0]?.key).toBe(`k${'e'.repeat(79)}…`);
    expect(error.problems[0]?.message.length).toBeLessThan(300);
  });
});

describe('how many problems are written out', () => {
  const problems: ConfigProblem[] = Array.from({ length: 180 }, (_, i) => ({
    file: '/site/ordo.config.json',
    key: `k${i}`,
    message: `Unknown key k${i}.`,
  }));

  it('the first 50, then how many more and where to see them all', () => {
    const lines = renderConfigProblems(problems, '/site');
    expect(lines).toHaveLength(52);
    expect(lines[0]?.text).toBe('Invalid configuration ordo.config.json — problems found: 180');
    expect(lines[50]?.text).toBe('  ordo.config.json k49: Unknown key k49.');
    expect(lines[51]?.text).toBe('  … and 130 more, not shown here (every problem: ordo config check --json).');
  });
});
