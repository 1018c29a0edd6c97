// The `local` protocol's validated options turned into the settings a folder session works with:
// every folder absolute, the `move:` folder included.
import type { LocalSettings } from '../common/folder-settings.js';
import { readSettings, resolveLocalPath } from '../options.js';
import { localDeclaration } from './options.js';

/** Call only on options `settingProblems` found nothing wrong with. */
export function resolveLocalSettings(options: Record<string, unknown>, configDir: string): LocalSettings {
  const read = readSettings(localDeclaration.options, { profile: {}, options }, configDir).options;
  const after = read.afterRetrieve;
  return {
    target: read.target,
    inbox: read.inbox,
    afterRetrieve: after.action === 'move' ? { action: 'move', folder: resolveLocalPath(after.folder, configDir) } : after,
    filter: read.filter,
  };
}
