// Secrets never appear in output, logs, errors or reports. Every string that leaves ordo passes here.
import { escapeControls, hasControls } from '../i18n/index.js';

const MASK = 'XXXXXXXX';
const knownSecrets = new Set<string>();
/**
 * The forms to mask of knownSecrets (as is, and URL-encoded where that differs), longest secret first so
 * that a secret containing another is masked whole; made again when a secret is added.
 */
let forms: string[] | undefined;

/**
 * Key names that look like secrets, masked wherever they appear: the net under the protocols' own
 * declarations (`secret: true`, which config show and the configuration loader use), for the keys no
 * declaration covers (a hook's words, a legacy INI section, an effective configuration handed over whole).
 */
export const SECRET_KEY_PATTERN = /(password|passphrase|passwd|pwd|token|secret|apikey|api_key|authorization|motdepasse|mot_de_passe)$/i;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY_PATTERN.test(key);
}

export function registerSecret(value: string | undefined): void {
  if (value === undefined || value.length < 3) return;
  forms = undefined;
  knownSecrets.add(value);
  // Outside values are escaped when they are printed or logged (i18n t()): mask that form as well.
  if (hasControls(value)) knownSecrets.add(escapeControls(value));
}

export function registerSecrets(values: Iterable<string>): void {
  for (const value of values) registerSecret(value);
}

/** Mask known secret values, credentials in URLs (`user:pw@`) and secret query parameters. */
export function redact(text: string): string {
  let out = text;
  forms ??= [...knownSecrets].sort((a, b) => b.length - a.length).flatMap((secret) => [...new Set([secret, encodeURIComponent(secret)])]);
  for (const form of forms) if (out.includes(form)) out = out.split(form).join(MASK);
  // Each pattern is tried only where it can match (a scan prints 100 000 paths through here).
  if (out.includes('://')) out = out.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)([^\s/:@]+):([^\s/@]+)@/gi, `$1$2:${MASK}@`);
  if (out.includes('=')) out = out.replace(/([?&](?:user|password|passwd|pwd|token|pass|login)=)[^&#\s"'<>]*/gi, `$1${MASK}`);
  return out;
}

/**
 * The rule for one value under its key: a secret-looking key's value masked (unless empty), a string
 * redacted. JSON.stringify's replacer as is (a document masked as it is written: no masked copy of a
 * large value, a scan of 100 000 files, is made first), and redactDeep's step.
 */
export function redactingReplacer(key: string, value: unknown): unknown {
  if (value !== undefined && value !== '' && isSecretKey(key)) return MASK;
  return typeof value === 'string' ? redact(value) : value;
}

/** Deep copy of a value with every secret-looking key masked and every string redacted. */
export function redactDeep<T>(value: T): T {
  return redactedAt('', value) as T;
}

function redactedAt(key: string, value: unknown): unknown {
  const masked = redactingReplacer(key, value);
  if (masked !== value || value === null || typeof value !== 'object' || value instanceof Date) return masked;
  if (Array.isArray(value)) return value.map((item: unknown) => redactedAt('', item));
  return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, redactedAt(name, item)]));
}

export const SECRET_MASK = MASK;
