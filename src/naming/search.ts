// The [RECHERCHE] table: the first key, in file order, contained in the received name gives [recherche].

export interface SearchEntry {
  key: string;
  value: string;
}

/** Case-insensitive containment; empty keys never match. Undefined when no key matches. */
export function findSearchValue(table: readonly SearchEntry[], receivedName: string): string | undefined {
  const haystack = receivedName.normalize('NFC').toLowerCase();
  for (const { key, value } of table) {
    if (key !== '' && haystack.includes(key.normalize('NFC').toLowerCase())) return value;
  }
  return undefined;
}
