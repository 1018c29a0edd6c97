// Every default of the configuration, in one place (documented in docs/configuration.md).
import type { IfExists } from './model.js';

export const DEFAULTS = {
  root: './ordo-data',
  watchIntervalMs: 60_000,
  countersFile: 'counters.json',
  naming: { timestamp: true, rename: false },
  scenario: {
    enabled: true,
    filter: ['*'],
    exclude: [] as string[],
    settleMs: 2_000,
    allowEmpty: false,
    ifExists: 'rename' as IfExists,
    sendDelayMs: 0,
    retrieveDelayMs: 0,
    attempts: 3,
    backoffMs: 2_000,
    maxDelayMs: 60_000,
    maxTimeMs: 600_000,
    retrieveEnabled: true,
    retrieveAfterSend: true,
    retrieveAt: [] as string[],
    hookTimeoutMs: 120_000,
  },
} as const;
