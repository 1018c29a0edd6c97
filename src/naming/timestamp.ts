// `horodatage`: `<name>_AAAAMMJJ_HHMMSS<.ext>`, in local time like the historical scheduler.
import { fitName, splitExtension } from './name-parts.js';

export interface DateParts {
  annee: string;
  mois: string;
  jour: string;
  heure: string;
  min: string;
  sec: string;
}

/** The date tokens of a naming plan, zero-padded, in local time. */
export function dateParts(now: Date): DateParts {
  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    annee: String(now.getFullYear()).padStart(4, '0'),
    mois: pad(now.getMonth() + 1),
    jour: pad(now.getDate()),
    heure: pad(now.getHours()),
    min: pad(now.getMinutes()),
    sec: pad(now.getSeconds()),
  };
}

/** `mandat.xml` → `mandat_20260314_093005.xml`; a long name loses the end of its stem, never the suffix. */
export function timestampSuffix(name: string, now: Date): string {
  const d = dateParts(now);
  const { stem, ext } = splitExtension(name);
  return fitName(stem, `_${d.annee}${d.mois}${d.jour}_${d.heure}${d.min}${d.sec}`, ext);
}
