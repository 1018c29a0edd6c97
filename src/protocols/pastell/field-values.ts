// The values a scenario sets on a Pastell document: literal text where `{name}` and `{stem}` stand for
// the file's name (without extension) and the naming plan's variables of the moment and the file are
// filled when the file is sent. `[numrec]` (a counter) and `[recherche]` (received names) mean nothing here.
import { fillFormat } from '../../naming/format.js';
import { findUnknownTokens } from '../../naming/tokens.js';

export const FIELD_TOKENS = ['annee', 'mois', 'jour', 'heure', 'min', 'sec', 'nomprofil', 'nomfic', 'ext'] as const;

/** The tokens of `value` a field cannot use (unknown, or a counter / a received name), as written. */
export function unusableFieldTokens(value: string): string[] {
  const unknown = findUnknownTokens(value);
  const elsewhere = [...value.matchAll(/\[([^\]]*)\]/g)].filter((match) => !(FIELD_TOKENS as readonly string[]).includes((match[1] ?? '').toLowerCase())).map((match) => match[0]);
  return [...new Set([...unknown, ...elsewhere])];
}

/** `value` with `{name}`, `{stem}` and the naming variables filled for the file `name` sent now by `profile`. */
export function fieldValue(value: string, name: string, profile: string, now: Date): string {
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name;
  const ext = dot > 0 ? name.slice(dot + 1) : '';
  const pad = (n: number): string => String(n).padStart(2, '0');
  const filled = value.replaceAll('{name}', name).replaceAll('{stem}', stem);
  return fillFormat(filled, {
    annee: String(now.getFullYear()),
    mois: pad(now.getMonth() + 1),
    jour: pad(now.getDate()),
    heure: pad(now.getHours()),
    min: pad(now.getMinutes()),
    sec: pad(now.getSeconds()),
    nomprofil: profile,
    nomfic: stem,
    ext,
  });
}
