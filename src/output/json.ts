// --json: exactly one document on stdout, every string masked.
import { redactDeep } from '../core/redact.js';
import { redactDescription, type ErrorDescription } from './describe-error.js';

export function jsonText(value: unknown): string {
  return `${JSON.stringify(redactDeep(value), null, 2)}\n`;
}

/** `{ "ok": false, "exitCode": 3, "error": { "code": 3, "type": "config", "message": …, "problems": [...] } }` */
export function errorDocument(description: ErrorDescription): { ok: false; exitCode: number; error: ErrorDescription } {
  const error = redactDescription(description);
  return { ok: false, exitCode: error.code, error };
}
