// --json: exactly one document on stdout, every string masked.
import { redactingReplacer } from '../shared/redact.js';
import { redactDescription, type ErrorDescription } from './describe-error.js';

/**
 * JSON.stringify escapes C0 controls itself but leaves DEL, C1 controls (U+009B acts as ESC [ on some
 * terminals), the line separators and the bidi overrides as they are; written as `\uXXXX` they read
 * back as the very same strings, and the document stays safe to show.
 */
const UNESCAPED = /[\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g;

export function jsonText(value: unknown): string {
  // JSON.stringify gives undefined for undefined, functions and symbols, whatever its declared type says.
  const text = ((JSON.stringify(value, redactingReplacer, 2) as string | undefined) ?? 'null').replace(UNESCAPED, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `${text}\n`;
}

/** `{ "ok": false, "exitCode": 3, "error": { "code": 3, "type": "config", "message": …, "problems": [...] } }` */
export function errorDocument(description: ErrorDescription): { ok: false; exitCode: number; error: ErrorDescription } {
  const error = redactDescription(description);
  return { ok: false, exitCode: error.code, error };
}
