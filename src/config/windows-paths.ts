// A Windows path (`C:\finances\export`, `\\serveur\partage`, `Trésorerie\export`) in a configuration
// read on Linux or macOS is accepted as a name with backslashes in it, and fails later with ENOENT.
// Said as a configuration warning, for every path-valued key: root, source, backup.dir, hooks that
// start with a Windows path, and the protocol keys whose declared type is a local path (`path`).
import { isAbsolute, relative } from 'node:path';
import { registryEntry } from '../protocols/registry.js';
import type { OptionPlace } from '../protocols/options.js';
import type { KeyPath } from './problems.js';
import type { OrdoConfig } from './model.js';

/** The type name `localPathType` gives its keys (src/protocols/options.ts). */
const LOCAL_PATH_TYPE = 'path';

const DRIVE = /^[A-Za-z]:([\\/]|$)/;
const UNC = /^\\\\/;

export interface WindowsPathFinding {
  path: KeyPath;
  /** The value as written (as far as it can be told back from the loaded configuration). */
  value: string;
}

/** `C:\…`, `C:/…`, `\\serveur\…`, or any path with a backslash (`Trésorerie\export`). */
export function looksLikeWindowsPath(value: string): boolean {
  const text = value.trim();
  return DRIVE.test(text) || UNC.test(text) || text.includes('\\');
}

/** A command line (hook) that starts with a Windows program path: `C:\scripts\avant.bat …`, `\\serveur\…`. */
function startsWithWindowsPath(command: string): boolean {
  const text = command.trim().replace(/^"/, '');
  return DRIVE.test(text) || UNC.test(text);
}

/**
 * The written value behind a path the loader resolved against the configuration's folder: on this
 * system `C:\finances\export` is relative and became `<dir>/C:\finances\export`.
 */
function asWritten(resolved: string, dir: string): string {
  const rest = relative(dir, resolved);
  return rest === '' || rest.startsWith('..') || isAbsolute(rest) ? resolved : rest;
}

/** Every path-valued key that looks like a Windows path; none on Windows itself. */
export function windowsPaths(config: OrdoConfig, platform: NodeJS.Platform = process.platform): WindowsPathFinding[] {
  if (platform === 'win32') return [];
  const found: WindowsPathFinding[] = [];
  const resolvedPath = (path: KeyPath, value: string | undefined) => {
    if (value === undefined) return;
    const written = asWritten(value, config.dir);
    if (looksLikeWindowsPath(written)) found.push({ path, value: written });
  };
  const declaredPaths = (protocol: string, where: OptionPlace, block: Record<string, unknown>, at: KeyPath) => {
    const declaration = registryEntry(protocol)?.declaration;
    if (declaration === undefined) return;
    for (const option of declaration.options) {
      if (option.where !== where || option.type.name !== LOCAL_PATH_TYPE) continue;
      const value = block[option.name];
      if (typeof value !== 'string') continue;
      const written = isAbsolute(value) && value.startsWith(config.dir) ? asWritten(value, config.dir) : value;
      if (looksLikeWindowsPath(written)) found.push({ path: [...at, option.name], value: written });
    }
  };

  resolvedPath(['root'], config.root);
  for (const profile of Object.values(config.profiles)) {
    for (const [protocol, block] of Object.entries(profile.protocols)) declaredPaths(protocol, 'profile', block, ['profiles', profile.name, protocol]);
  }
  for (const scenario of Object.values(config.scenarios)) {
    const at: KeyPath = ['scenarios', scenario.name];
    resolvedPath([...at, 'source'], scenario.source);
    resolvedPath([...at, 'backup', 'dir'], scenario.backup.dir);
    for (const hook of ['before', 'after'] as const) {
      const command = scenario.hooks[hook];
      if (command !== undefined && startsWithWindowsPath(command)) found.push({ path: [...at, 'hooks', hook], value: command });
    }
    declaredPaths(scenario.protocol, 'options', scenario.options, [...at, 'options']);
  }
  return found;
}
