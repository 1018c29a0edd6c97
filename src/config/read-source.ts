// Reads one configuration file into a plain tree of keys, whatever its syntax. JSON/YAML are parsed
// as data only (js-yaml's schema builds plain values, never functions); INI goes through ./automate-ini.ts, with
// hconnect.ini beside it. Reading problems (unreadable, empty, syntax, beyond the bounds of
// ./limits.ts) are reported with their place.
import { readdir } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { t } from '../i18n/index.js';
import { mapAutomateIni } from './automate-ini.js';
import { mapHconnectIni } from './hconnect-ini.js';
import { parseIni } from './ini.js';
import { checkTree, MAX_CONFIG_BYTES, MAX_CONFIG_DEPTH, MAX_CONFIG_VALUES, readBounded } from './limits.js';
import type { OrdoConfig } from './model.js';
import type { KeyLocator, ProblemList } from './problems.js';
import { decodeText } from './text-encoding.js';

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
): Promise<unknown> {
  const text = await readText(file, problems);
  if (text === undefined) return undefined;
  if (text.trim() === '') {
    problems.add({ path: [], at: { file, writtenKey: '' }, message: 'config.file.empty', fix: 'config.file.empty.fix', params: { file } });
    return undefined;
  }
  if (format === 'json') return withinBounds(parseJson(text, file, problems), file, problems);
  if (format === 'yaml') return withinBounds(await parseYaml(text, file, problems), file, problems);
  const tree = mapAutomateIni(parseIni(text), file, locator, problems);
  const naming = await readHconnect(dirname(file), locator, problems);
  if (naming !== undefined) tree.naming = naming;
  return tree;
}

async function readText(file: string, problems: ProblemList): Promise<string | undefined> {
  try {
    const read = await readBounded(file);
    if (read.ok) return decodeText(read.bytes).text;
    const at = { file, writtenKey: '' };
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

function parseJson(text: string, file: string, problems: ProblemList): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    // V8 quotes the text around the error ("… is not valid JSON"): keep only its own words (secrets).
    const message = error instanceof Error ? error.message : String(error);
    const reason = message.split(/ in JSON at position |, "/)[0] ?? message;
    const position = /at position (\d+)/.exec(message);
    const offset = position ? Number(position[1]) : /end of JSON input/.test(message) ? text.length : undefined;
    const place = offset === undefined ? undefined : lineAndColumn(text, offset);
    reportSyntax(file, 'JSON', reason, place, problems);
    return undefined;
  }
}

async function parseYaml(text: string, file: string, problems: ProblemList): Promise<unknown> {
  // Loaded only for YAML files: INI and JSON sites do not pay for it at start-up.
  const { load } = await import('js-yaml');
  try {
    return load(text);
  } catch (error) {
    // js-yaml's message quotes the lines around the error; its `reason` and `mark` do not.
    const { reason, mark } = error as { reason?: string; mark?: { line: number; column: number } };
    const place = mark ? { line: mark.line + 1, column: mark.column + 1 } : undefined;
    reportSyntax(file, 'YAML', reason ?? 'syntax error', place, problems);
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

function reportSyntax(
  file: string,
  syntax: string,
  reason: string,
  place: { line: number; column: number } | undefined,
  problems: ProblemList,
): void {
  problems.add({
    path: [],
    at: place ? { file, line: place.line, writtenKey: '' } : { file, writtenKey: '' },
    message: place ? 'config.file.syntaxAt' : 'config.file.syntax',
    fix: 'config.file.syntax.fix',
    params: { syntax, reason, ...place },
  });
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split(/\r\n|\n|\r/);
  return { line: before.length, column: (before[before.length - 1]?.length ?? 0) + 1 };
}

/** hconnect.ini beside automate.ini, found whatever its case (files copied from Windows keep `HCONNECT.INI`). */
async function readHconnect(dir: string, locator: KeyLocator, problems: ProblemList): Promise<Record<string, unknown> | undefined> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const name = names.find((n) => n === 'hconnect.ini') ?? names.find((n) => n.toLowerCase() === 'hconnect.ini');
  if (name === undefined) return undefined;
  const file = join(dir, name);
  const text = await readText(file, problems);
  if (text === undefined) return undefined;
  return mapHconnectIni(parseIni(text), file, locator, problems);
}
