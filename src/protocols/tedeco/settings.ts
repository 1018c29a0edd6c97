// The `tedeco` protocol's validated keys (tedeco/options.ts) turned into the settings its sessions work with.
import { readSettings } from '../options.js';
import { tedecoDeclaration } from './options.js';
import type { RequestType } from './rfa.js';

export interface TedecoSettings {
  /** Absolute path of the agent's spool root (`<tedeco>`). */
  spool: string;
  alias: string;
  ead: string;
  type: RequestType;
  /** Template of the application reference (`[var2]`…), possibly empty. */
  rfa: string;
  recordLength: number;
  compression: string;
  /** Reference year of elections files when fixed by the scenario. */
  year: number | undefined;
  /** Name patterns of the return files to collect; default `la*.<ead>`. */
  filter: string[] | undefined;
  staleRequestMs: number;
}

/** Call only on settings `settingProblems` found nothing wrong with. */
export function resolveTedecoSettings(profile: Record<string, unknown>, options: Record<string, unknown>, configDir: string): TedecoSettings {
  const { profile: p, options: o } = readSettings(tedecoDeclaration.options, { profile, options }, configDir);
  return {
    spool: p.spool,
    alias: p.alias,
    ead: p.ead,
    type: o.type,
    rfa: o.rfa ?? '',
    recordLength: o.recordLength,
    compression: o.compression,
    year: o.year,
    filter: o.filter,
    staleRequestMs: o.staleRequestAge,
  };
}
