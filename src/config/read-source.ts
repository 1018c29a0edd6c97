// Reads one configuration file into a plain tree of keys, whatever its syntax. JSON/YAML are parsed
// as data only (./json-source.ts, ./yaml-source.ts, which note where each key is written); INI goes
// through ./automate-ini.ts, with hconnect.ini beside it. Reading problems (unreadable, not text,
// empty, syntax, beyond the bounds of ./limits.ts) are reported with their place; what is read but
// ignored (hconnect.ini lines Windows ignores) is a warning.
import { readdir } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { t } from '../i18n/index.js';
import { mapAutomateIni } from './automate-ini.js';
import { mapHconnectIni } from './hconnect-ini.js';
import { parseIni } from './ini.js';
import { parseJsonSource } from './json-source.js';
import { checkTree, MAX_CONFIG_BYTES, MAX_CONFIG_DEPTH, MAX_CONFIG_VALUES, readBounded } from './limits.js';
import type { OrdoConfig } from './model.js';
import type { KeyLocator, ProblemList } from './problems.js';
import { decodeText, firstNonTextByte } from './text-encoding.js';
import { parseYamlSource } from './yaml-source.js';

export type ConfigFormat = OrdoConfig['format'];

/** By extension (any case); `.ordorc` without extension is YAML (JSON is valid YAML). */
export function formatOf(file: string): ConfigFormat | undefined {
  const extension = extname(file).toLowerCase();
  if (extension === '.json') return 'json';
  if (extension === '.yaml' || extension === '.yml') return 'yaml';
  if (extension === '.ini') return 'ini';
  if (extension === '' || basename(file).toLowerCase() === '.ordorc') return 'yaml';
  return undefined;
}

export async function readSource(
  file: string,
  format: ConfigFormat,
  locator: KeyLocator,
  problems: ProblemList,
  warnings: ProblemList,
): Promise<unknown> {
  const text = await readText(file, problems);
  if (text === undefined) return undefined;
  if (text.trim() === '') {
    problems.add({ path: [], at: { file, writtenKey: '' }, message: 'config.file.empty', fix: 'config.file.empty.fix', params: { file } });
    return undefined;
  }
  if (format === 'json') return withinBounds(parseJsonSource(text, file, locator, problems), file, problems);
  if (format === 'yaml') return withinBounds(await parseYamlSource(text, file, locator, problems), file, problems);
  const tree = mapAutomateIni(parseIni(text), file, locator, problems);
  const naming = await readHconnect(dirname(file), locator, problems, warnings);
  if (naming !== undefined) tree.naming = naming;
  return tree;
}

async function readText(file: string, problems: ProblemList): Promise<string | undefined> {
  try {
    const read = await readBounded(file);
    const at = { file, writtenKey: '' };
    if (read.ok) {
      const decoded = decodeText(read.bytes);
      const binary = firstNonTextByte(read.bytes, decoded);
      if (binary === undefined) return decoded.text;
      // Never echoed: its bytes would be noise on a terminal, or worse.
      const byte = `0x${binary.byte.toString(16).padStart(2, '0').toUpperCase()}`;
      problems.add({ path: [], at, message: 'config.file.binary', fix: 'config.file.binary.fix', params: { file, byte, offset: binary.offset } });
      return undefined;
    }
    if (read.problem === 'notRegular') {
      problems.add({ path: [], at, message: 'config.file.notRegular', fix: 'config.file.notRegular.fix', params: { file, kind: t(`config.file.kind.${read.kind}`) } });
    } else {
      problems.add({ path: [], at, message: 'config.file.tooLarge', fix: 'config.file.tooLarge.fix', params: { file, size: read.size, max: MAX_CONFIG_BYTES } });
    }
    return undefined;
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    problems.add({ path: [], at: { file, writtenKey: '' }, message: 'config.file.unreadable', fix: 'config.file.unreadable.fix', params: { file, reason } });
    return undefined;
  }
}

/** A tree too deep or too large once its aliases are expanded is refused before anything walks it. */
function withinBounds(tree: unknown, file: string, problems: ProblemList): unknown {
  if (tree === undefined) return undefined;
  const bounds = checkTree(tree);
  if (bounds.ok) return tree;
  const at = { file, writtenKey: '' };
  if (bounds.problem === 'tooDeep') {
    problems.add({ path: [], at, message: 'config.file.tooDeep', fix: 'config.file.tooDeep.fix', params: { file, max: MAX_CONFIG_DEPTH } });
  } else {
    const message = bounds.aliases ? 'config.file.aliasBomb' : 'config.file.tooManyValues';
    problems.add({ path: [], at, message, fix: `${message}.fix`, params: { file, max: MAX_CONFIG_VALUES } });
  }
  return undefined;
}

/** hconnect.ini beside automate.ini, found whatever its case (files copied from Windows keep `HCONNECT.INI`). */
async function readHconnect(dir: string, locator: KeyLocator, problems: ProblemList, warnings: ProblemList): Promise<Record<string, unknown> | undefined> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const name = names.find((n) => n === 'hconnect.ini') ?? names.find((n) => n.toLowerCase() === 'hconnect.ini');
  if (name === undefined) return undefined;
  const file = join(dir, name);
  const text = await readText(file, problems);
  if (text === undefined) return undefined;
  return mapHconnectIni(parseIni(text), file, locator, problems, warnings);
}
