// Folder settings shared by the protocols that send into and retrieve from folders (`local`, `tedeco`):
// the name filter of an inbox, and the settings a folder session works with.
import { say } from '../options.js';
import { filterType, isPathPattern, type AfterRetrieve } from './retrieval-options.js';

export type { AfterRetrieve } from './retrieval-options.js';

export interface LocalSettings {
  /** Absolute folder to send into, when the scenario sends. */
  target: string | undefined;
  /** Absolute folder to retrieve from, when the scenario retrieves. */
  inbox: string | undefined;
  afterRetrieve: AfterRetrieve;
  /** Name patterns for `list` (never paths). */
  filter: string[];
}

/** Name patterns of the files to take from a folder: never a path. */
export const folderFilterType = filterType(
  {
    invalid: say('protocol.local.option.filter'),
    folderIn: (_key, pattern) => ({ messageKey: 'protocol.local.option.filterPath', params: { pattern } }),
  },
  isPathPattern,
);

export function samePath(a: string, b: string): boolean {
  return process.platform === 'win32' ? a.toLowerCase() === b.toLowerCase() : a === b;
}
