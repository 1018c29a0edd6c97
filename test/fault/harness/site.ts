// A temporary site: export folder, the partner's folders (local protocol), the spool, a configuration.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FaultSite {
  base: string;
  source: string;
  target: string;
  inbox: string;
  root: string;
  recus: string;
  config(scenario?: Record<string, unknown>, extra?: Record<string, unknown>): void;
  cleanup(): void;
}

export function faultSite(prefix: string): FaultSite {
  const base = mkdtempSync(join(tmpdir(), `ordo-fault-${prefix}-`));
  const site: FaultSite = {
    base,
    source: join(base, 'export'),
    target: join(base, 'partner', 'in'),
    inbox: join(base, 'partner', 'out'),
    root: join(base, 'ordo-data'),
    recus: join(base, 'ordo-data', 'recus', 'VILLE'),
    config(scenario = {}, extra = {}) {
      const { options, ...rest } = scenario as { options?: Record<string, unknown>; protocol?: string };
      const config = {
        root: './ordo-data',
        naming: { timestamp: false },
        profiles: { VILLE: { label: 'Ville de Saint-Exemple' } },
        scenarios: {
          PES: {
            profile: 'VILLE',
            protocol: 'local',
            source: './export',
            settle: '0s',
            retries: { attempts: 2, backoff: '10ms' },
            ...rest,
            options: rest.protocol === undefined || rest.protocol === 'local' ? { target: site.target, inbox: site.inbox, ...options } : options,
          },
        },
        ...extra,
      };
      writeFileSync(join(base, 'ordo.config.json'), JSON.stringify(config, null, 2));
    },
    cleanup: () => rmSync(base, { recursive: true, force: true }),
  };
  for (const dir of [site.source, site.target, site.inbox]) mkdirSync(dir, { recursive: true });
  site.config();
  return site;
}
