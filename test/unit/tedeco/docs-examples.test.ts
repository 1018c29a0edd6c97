// The configurations shown in docs/protocols/tedeco.md and insee.md load as they are, in both syntaxes.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../../src/config/load.js';
import type { ConfigError } from '../../../src/shared/errors.js';

const DOCS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'docs', 'protocols');
const env = { VILLE_INSEE_PASSWORD: 'secret' };

let dir: string | undefined;
afterEach(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

/** The first fenced block of that language in the page. */
function example(page: string, language: 'json' | 'ini'): string {
  const text = readFileSync(join(DOCS, page), 'utf8');
  const match = new RegExp('```' + language + '\\n([\\s\\S]*?)```').exec(text);
  if (match === null) throw new Error(`no ${language} example in ${page}`);
  return match[1]!;
}

async function load(page: string, language: 'json' | 'ini') {
  dir = mkdtempSync(join(tmpdir(), 'ordo-doc-example-'));
  const file = join(dir, language === 'json' ? 'ordo.config.json' : 'automate.ini');
  writeFileSync(file, example(page, language));
  try {
    return await loadConfigFile(file, env);
  } catch (error) {
    throw new Error(`${page} (${language}): ${(error as Partial<ConfigError>).problems?.map((p) => `${p.key}: ${p.message}`).join('; ') ?? String(error)}`);
  }
}

describe('documented configurations', () => {
  it('tedeco.md: JSON and INI give the same tedeco settings', async () => {
    const json = await load('tedeco.md', 'json');
    const ini = await load('tedeco.md', 'ini');
    for (const config of [json, ini]) {
      expect(config.profiles.VILLE?.protocols.tedeco).toMatchObject({ alias: 'INSEE', ead: 'ECIVIL' });
      expect(String(config.scenarios.INSEE_EC?.options.rfa)).toBe('EC[annee][var2]');
      expect(String(config.scenarios.INSEE_ELEC?.options.type)).toBe('elections');
    }
  });

  it('insee.md: JSON and INI give the same three http scenarios', async () => {
    for (const config of [await load('insee.md', 'json'), await load('insee.md', 'ini')]) {
      expect(Object.keys(config.profiles.VILLE?.protocols.http?.urls as object)).toEqual(['electionsFR', 'electionsEU', 'etatCivil']);
      expect(['INSEE_ELEC_FR', 'INSEE_ELEC_EU', 'INSEE_EC'].map((name) => config.scenarios[name]?.options.fileType)).toEqual(['electionsFR', 'electionsEU', 'etatCivil']);
    }
  });
});
