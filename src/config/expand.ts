// Resolves `${NAME}` (and `%NAME%` in INI) in every value of the tree, and gathers the secrets:
// values of the keys protocols declare secret and of secret-named keys (password, token…), and the
// variables they, or any secret-named variable, brought in.
//
// A reference to a variable that is not set is a problem (exit 3, naming the variable and the key),
// except, with `partnerSecrets: 'optional'`, in secrets (passwords, tokens: only a partner's
// connection uses them): the commands that never connect (logs, config show, rename) load the
// configuration that way, and the reference stays as written, unused (and masked by config show).
// Any other value (a folder, a code a file name is made of) still needs its variable.
import { isDeclaredSecret } from '../protocols/registry.js';
import { isSecretKey } from '../shared/redact.js';
import { expandEnvRefs } from './env-refs.js';
import type { KeyPath, ProblemList } from './problems.js';
import { isPlainObject } from './schema.js';

/** Whether the variables secrets use must be set ('required': the commands that connect to a partner). */
export type PartnerSecrets = 'required' | 'optional';

export function expandTree(
  tree: unknown,
  env: NodeJS.ProcessEnv,
  options: { percent: boolean; partnerSecrets?: PartnerSecrets },
  problems: ProblemList,
  secrets: Set<string>,
): unknown {
  const keep = (value: string) => {
    if (value !== '') secrets.add(value);
  };
  const walk = (value: unknown, path: KeyPath, secret: boolean): unknown => {
    if (value === null) return undefined; // YAML `key:` with nothing, JSON null: not set
    if (typeof value === 'string') {
      const expansion = expandEnvRefs(value, env, options);
      const [first, ...others] = expansion.missing;
      if (first !== undefined && !(secret && options.partnerSecrets === 'optional')) {
        problems.add({
          path,
          message: others.length === 0 ? 'config.env.missing' : 'config.env.missingMany',
          fix: 'config.env.missing.fix',
          params: { name: expansion.missing.join(', ') },
        });
      }
      for (const { name, value: variable } of expansion.used) if (secret || isSecretKey(name)) keep(variable);
      if (secret && first === undefined) keep(expansion.value);
      return expansion.value;
    }
    if (Array.isArray(value)) return value.map((item, index) => walk(item, [...path, index], secret));
    if (isPlainObject(value)) {
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(value)) {
        const expanded = walk(child, [...path, key], secret || isSecretKey(key) || isProtocolSecret([...path, key]));
        if (expanded !== undefined) out[key] = expanded;
      }
      return out;
    }
    return value;
  };
  return walk(tree, [], false);
}

/** `profiles.<P>.<protocol>.<key>…` that the protocol declares secret. */
function isProtocolSecret(path: KeyPath): boolean {
  const [top, , protocol, ...rest] = path;
  return top === 'profiles' && typeof protocol === 'string' && rest.length > 0 && isDeclaredSecret(protocol, 'profile', rest.map(String));
}
