// A site with one scenario that has nothing to do: what a cron job that runs `ordo run` every minute finds
// most of the time. The start-up benchmarks time ordo in it; `npm run build:exe` runs ordo in it to make
// the executables' code caches.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A site with one scenario that has nothing to do (local protocol, empty source folder, empty inbox). */
export function idleSite(work) {
  for (const folder of ['export', 'partner/in', 'partner/out']) mkdirSync(join(work, folder), { recursive: true });
  writeFileSync(join(work, 'ordo.config.json'), JSON.stringify({
    root: './ordo-data',
    profiles: { VILLE: { label: 'Ville' } },
    scenarios: { PES: { profile: 'VILLE', protocol: 'local', source: './export', settle: '0s', options: { target: './partner/in', inbox: './partner/out' } } },
  }));
}
