// Which naming plan applies: the default (hconnect.ini or top-level `naming`) with a scenario's overrides.
import type { NamingPlan } from '../config/model.js';

/**
 * Each field given in `override` replaces the base's; a `search` table replaces the whole base table.
 * An override that gives a `format` without saying `rename` means renaming with that format: nobody
 * writes a format to have it ignored.
 */
export function resolvePlan(base: NamingPlan, override?: Partial<NamingPlan>): NamingPlan {
  const plan: NamingPlan = { timestamp: base.timestamp, rename: base.rename, search: [...base.search] };
  if (base.format !== undefined) plan.format = base.format;
  if (override === undefined) return plan;
  if (override.timestamp !== undefined) plan.timestamp = override.timestamp;
  if (override.format !== undefined) {
    plan.format = override.format;
    plan.rename = true;
  }
  if (override.rename !== undefined) plan.rename = override.rename;
  if (override.search !== undefined) plan.search = [...override.search];
  return plan;
}
