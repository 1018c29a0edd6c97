// Building one diagnose check (no undefined fields: they would show up as "fix": null in JSON).
import type { CheckStatus } from '../protocols/contract.js';
import type { DiagnoseCheck } from './results.js';

export function check(id: string, status: CheckStatus, message: string, extra: { fix?: string | undefined; scope?: string | undefined; example?: string[] } = {}): DiagnoseCheck {
  const out: DiagnoseCheck = { id, status, message };
  if (extra.scope !== undefined) out.scope = extra.scope;
  if (extra.fix !== undefined) out.fix = extra.fix;
  if (extra.example !== undefined) out.example = extra.example;
  return out;
}
