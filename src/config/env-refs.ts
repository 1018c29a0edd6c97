// `${NAME}` references to environment variables (and `%NAME%`, the Windows way, in INI files).
// One pass: a variable's value is never itself expanded, and a `%` that does not form `%NAME%` stays.

export interface Expansion {
  value: string;
  /** Variables referenced but not set (the reference is left as written). */
  missing: string[];
  /** Variables referenced and set, with their values. */
  used: Array<{ name: string; value: string }>;
}

const DOLLAR_REF = String.raw`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`;
// Windows names may hold parentheses: %ProgramFiles(x86)%.
const PERCENT_REF = String.raw`%([A-Za-z_][A-Za-z0-9_()]*)%`;
const DOLLAR_ONLY = new RegExp(DOLLAR_REF, 'g');
const DOLLAR_OR_PERCENT = new RegExp(`${DOLLAR_REF}|${PERCENT_REF}`, 'g');

export function expandEnvRefs(text: string, env: NodeJS.ProcessEnv, options: { percent: boolean }): Expansion {
  const missing: string[] = [];
  const used: Expansion['used'] = [];
  const pattern = options.percent ? DOLLAR_OR_PERCENT : DOLLAR_ONLY;
  const value = text.replace(pattern, (whole, dollarName: string | undefined, percentName: string | undefined) => {
    const name = dollarName ?? percentName ?? '';
    const found = lookup(env, name);
    if (found === undefined) {
      if (!missing.includes(name)) missing.push(name);
      return whole;
    }
    used.push({ name, value: found });
    return found;
  });
  return { value, missing, used };
}

// Windows variable names are case-insensitive; a copied env object loses that, so look again.
function lookup(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const exact = env[name];
  if (exact !== undefined || process.platform !== 'win32') return exact;
  const key = Object.keys(env).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : env[key];
}
