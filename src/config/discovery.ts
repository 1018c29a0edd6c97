// Which configuration file to load (docs/configuration.md): `--config` (file or folder), else
// $ORDO_CONFIG, else the nearest folder from the current one upward that holds one of CONFIG_FILE_NAMES.
// Not cosmiconfig: creating an explorer runs its "meta config" lookup, which executes
// `.config/config.js` (or .ts/.mjs/.cjs) of the current folder whatever the options, reads files
// without a size bound, and matches names in one letter case only — we never execute configuration code.
import { readdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ConfigError, type ConfigProblem } from '../shared/errors.js';
import { t } from '../i18n/index.js';

/** In order of preference within one folder. */
export const CONFIG_FILE_NAMES = [
  'ordo.config.json',
  'ordo.config.yaml',
  'ordo.config.yml',
  '.ordorc',
  '.ordorc.json',
  '.ordorc.yaml',
  '.ordorc.yml',
  'automate.ini',
] as const;

export interface DiscoveryOptions {
  config?: string | undefined;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/** The absolute path of the configuration file; ConfigError (one problem, with the fix) when none. */
export async function findConfigFile(options: DiscoveryOptions): Promise<string> {
  const names = CONFIG_FILE_NAMES.join(', ');
  const given = options.config ?? (options.env.ORDO_CONFIG || undefined);
  if (given !== undefined) {
    const source = options.config !== undefined ? '--config' : 'ORDO_CONFIG';
    const path = resolve(options.cwd, given);
    const kind = await stat(path).then(
      (s) => (s.isDirectory() ? 'folder' : 'file'),
      () => 'missing',
    );
    if (kind === 'file') return path;
    if (kind === 'missing') throw notFound(path, 'config.notFound.path', { file: path, source }, 'config.notFound.path.fix');
    const found = await findInFolder(path);
    if (found !== undefined) return found;
    throw notFound(path, 'config.notFound.folder', { dir: path, source, names }, 'config.notFound.fix');
  }
  const start = resolve(options.cwd);
  for (let dir = start; ; dir = dirname(dir)) {
    const found = await findInFolder(dir);
    if (found !== undefined) return found;
    if (dirname(dir) === dir) break;
  }
  throw notFound(start, 'config.notFound.search', { dir: start, names }, 'config.notFound.fix');
}

/** The first of CONFIG_FILE_NAMES present in `dir`, in any case (files copied from Windows: `AUTOMATE.INI`). */
async function findInFolder(dir: string): Promise<string | undefined> {
  const entries = await readdir(dir).catch(() => [] as string[]);
  for (const wanted of CONFIG_FILE_NAMES) {
    const name = entries.find((n) => n === wanted) ?? entries.find((n) => n.toLowerCase() === wanted);
    if (name === undefined) continue;
    const path = join(dir, name);
    if (await stat(path).then((s) => s.isFile(), () => false)) return path;
  }
  return undefined;
}

function notFound(file: string, message: string, params: Record<string, string>, fix: string): ConfigError {
  const problem: ConfigProblem = { file, key: '', message: t(message, params), fix: t(fix, params) };
  return new ConfigError([problem]);
}
