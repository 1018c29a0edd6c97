// Naming plans: tokens, timestamping, counters, the search table, safe local names, final placement.
export { NAMING_TOKENS, findUnknownTokens, type NamingToken } from './tokens.js';
export { safeLocalName, FALLBACK_NAME } from './safe-name.js';
export { splitExtension, MAX_NAME_BYTES, type NameParts } from './name-parts.js';
export { timestampSuffix, dateParts, type DateParts } from './timestamp.js';
export { resolvePlan } from './plan.js';
export { findSearchValue, type SearchEntry } from './search.js';
export { assertKnownTokens, fillFormat, tokenList, tokensOf } from './format.js';
export { nextCounterValue, DEFAULT_COUNTER_WIDTH, type CounterValue } from './counter-value.js';
export { openCounterStore, dryRunCounters, COUNTERS_FILE, type CounterStore } from './counter-store.js';
export { readIniCounter, INI_COUNTER_SECTION, INI_COUNTER_KEY, type IniCounter } from './ini-counter.js';
export {
  applyNamingPlan,
  NUMREC_COUNTER,
  type NamingInput,
  type NamingNote,
  type NamingResult,
} from './apply.js';
export { placeFile, partialPathFor, removeLeftoverPartials, withCollisionSuffix, type LeftoverSweep, type Placement } from './place.js';
