// What the report lists of failed/<scenario>/: the items of failed-items.ts (reason, fix, since when,
// the command that sends each again), newest first and bounded.
import type { OrdoConfig, ScenarioConfig } from '../config/model.js';
import { listFailedItems, type FailedItem } from './failed-items.js';

/** Listed per scenario, newest first; the rest is counted (a folder nobody emptied for years). */
export const MAX_FAILED_LISTED = 100;

export interface FailedList {
  items: FailedItem[];
  /** Items beyond MAX_FAILED_LISTED, not listed. */
  more: number;
}

export async function failedItems(config: OrdoConfig, scenarios: ScenarioConfig[]): Promise<Map<string, FailedList>> {
  const found = new Map<string, FailedList>();
  for (const scenario of scenarios) {
    const all = (await listFailedItems(config, [scenario.name])).toReversed();
    found.set(scenario.name, { items: all.slice(0, MAX_FAILED_LISTED), more: Math.max(0, all.length - MAX_FAILED_LISTED) });
  }
  return found;
}
