// The tokens of a naming plan (docs/naming.md), case-insensitive.
export const NAMING_TOKENS = [
  'annee', 'mois', 'jour', 'heure', 'min', 'sec', 'numrec', 'nomprofil', 'recherche', 'nomfic', 'ext',
] as const;
export type NamingToken = (typeof NAMING_TOKENS)[number];

/** Tokens of `format` that are not naming tokens, as written (e.g. `[anne]`). */
export function findUnknownTokens(format: string): string[] {
  const unknown: string[] = [];
  for (const match of format.matchAll(/\[([^\]]*)\]/g)) {
    const name = (match[1] ?? '').toLowerCase();
    if (!(NAMING_TOKENS as readonly string[]).includes(name)) unknown.push(match[0]);
  }
  return unknown;
}
