// The RFA (application reference) is a template: `[token]`s, case-insensitive as in the naming plan,
// filled with the request's variables when the request is written.
export type RequestType = 'etatcivil' | 'elections';

export const RFA_TOKENS = ['nomfic', 'var1', 'var2', 'var3', 'var4', 'numreq', 'ead', 'alias', 'annee', 'mois', 'jour'] as const;
export type RfaToken = (typeof RFA_TOKENS)[number];

/** Variables that only one type of request has. */
const TYPE_ONLY: Record<RequestType, readonly RfaToken[]> = {
  etatcivil: ['var1', 'var2'],
  elections: ['var3', 'var4'],
};

const TOKEN = /\[([^\]]*)\]/g;

export interface RfaTokenProblem {
  /** As written, e.g. `[var5]`. */
  token: string;
  /** unknown: no such variable; otherType: a variable of the other type of request. */
  reason: 'unknown' | 'otherType';
}

export function rfaTokenProblems(template: string, type: RequestType | undefined): RfaTokenProblem[] {
  const problems: RfaTokenProblem[] = [];
  for (const match of template.matchAll(TOKEN)) {
    const name = (match[1] ?? '').toLowerCase();
    if (!(RFA_TOKENS as readonly string[]).includes(name)) {
      problems.push({ token: match[0], reason: 'unknown' });
    } else if (type !== undefined && !TYPE_ONLY[type].includes(name as RfaToken) && otherTypeToken(name)) {
      problems.push({ token: match[0], reason: 'otherType' });
    }
  }
  return problems;
}

function otherTypeToken(name: string): boolean {
  return Object.values(TYPE_ONLY).some((tokens) => (tokens as readonly string[]).includes(name));
}

/** `template` with every token replaced; validation made sure each one has a value. */
export function fillRfa(template: string, values: Partial<Record<RfaToken, string>>): string {
  return template.replace(TOKEN, (whole, name: string) => values[name.toLowerCase() as RfaToken] ?? whole);
}

export function rfaTokenList(): string {
  return RFA_TOKENS.map((token) => `[${token}]`).join(' ');
}
