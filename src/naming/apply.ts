// The naming plan applied to one received (or local) file name.
import type { NamingPlan } from '../config/model.js';
import type { CounterStore } from './counter-store.js';
import { fillFormat, tokensOf } from './format.js';
import { splitExtension } from './name-parts.js';
import { safeLocalName } from './safe-name.js';
import { findSearchValue } from './search.js';
import { dateParts, timestampSuffix } from './timestamp.js';
import type { NamingToken } from './tokens.js';

export interface NamingInput {
  /** The name as the partner announced it (or the local file's name): never trusted. */
  name: string;
  /** Profile name, for [nomprofil]. */
  profile: string;
  now: Date;
  counters: CounterStore;
  /** Use `peek`: no counter is consumed. */
  dryRun?: boolean;
}

/** Something worth a log line: a catalog key and its parameters. */
export interface NamingNote {
  key: string;
  params: Record<string, string | number>;
}

export interface NamingResult {
  /** A safe, plain file name. */
  name: string;
  notes: NamingNote[];
}

export const NUMREC_COUNTER = 'numrec';

/**
 * `renommer` with a format wins (timestamping is then ignored); otherwise `horodatage` adds
 * `_AAAAMMJJ_HHMMSS`; otherwise the (safe) name is kept.
 */
export async function applyNamingPlan(plan: NamingPlan, input: NamingInput): Promise<NamingResult> {
  const notes: NamingNote[] = [];
  const safe = safeLocalName(input.name);
  if (safe !== input.name) notes.push({ key: 'naming.sanitized', params: { from: JSON.stringify(input.name), to: safe } });

  let name: string;
  if (plan.rename && plan.format !== undefined && plan.format !== '') {
    name = await renameByFormat(plan, plan.format, input, safe, notes);
  } else {
    if (plan.rename) notes.push({ key: 'naming.noFormat', params: {} });
    name = plan.timestamp ? timestampSuffix(safe, input.now) : safe;
  }
  return { name: safeLocalName(name), notes };
}

async function renameByFormat(
  plan: NamingPlan,
  format: string,
  input: NamingInput,
  safe: string,
  notes: NamingNote[],
): Promise<string> {
  const used = tokensOf(format);
  const { stem, ext } = splitExtension(safe);
  const values: Partial<Record<NamingToken, string>> = {
    ...dateParts(input.now),
    nomprofil: input.profile,
    nomfic: stem,
    ext: ext.slice(1),
  };
  if (used.has('recherche')) {
    const found = findSearchValue(plan.search, input.name);
    if (found === undefined) notes.push({ key: 'naming.search.noMatch', params: { name: safe } });
    values.recherche = found ?? '';
  }
  // Taken only when the format uses it, and once per file even if it appears twice.
  if (used.has('numrec')) {
    const counter = input.dryRun ? await input.counters.peek(NUMREC_COUNTER) : await input.counters.next(NUMREC_COUNTER);
    if (counter.widened) {
      notes.push({ key: 'naming.counter.widened', params: { counter: NUMREC_COUNTER, value: counter.value, width: counter.value.length } });
    }
    values.numrec = counter.value;
  }
  return fillFormat(format, values);
}
