// Filling a `renommer_format` such as `LA[annee][numrec].020`.
import { ExitCode, OrdoError } from '../shared/errors.js';
import { findUnknownTokens, NAMING_TOKENS, type NamingToken } from './tokens.js';

const TOKEN = /\[([^\]]*)\]/g;

/** The naming tokens `format` uses (lower case, each once). Unknown tokens are a configuration error. */
export function tokensOf(format: string): Set<NamingToken> {
  assertKnownTokens(format);
  const used = new Set<NamingToken>();
  for (const match of format.matchAll(TOKEN)) used.add((match[1] ?? '').toLowerCase() as NamingToken);
  return used;
}

export function assertKnownTokens(format: string): void {
  const [token] = findUnknownTokens(format);
  if (token !== undefined) {
    throw new OrdoError('naming.unknownToken', { token, format, tokens: tokenList() }, ExitCode.config, {
      fix: 'naming.unknownToken.fix',
    });
  }
}

/** `format` with each token replaced by its value; `values` must hold every token the format uses. */
export function fillFormat(format: string, values: Partial<Record<NamingToken, string>>): string {
  return format.replace(TOKEN, (whole, name: string) => values[name.toLowerCase() as NamingToken] ?? whole);
}

/** `[annee] [mois] …`, for messages. */
export function tokenList(): string {
  return NAMING_TOKENS.map((token) => `[${token}]`).join(' ');
}
