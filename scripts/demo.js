#!/usr/bin/env node
// `npm run demo`: a full local cycle on the bundled sample files, in a temporary folder.
// The "partner" is a plain folder (the local protocol), so nothing leaves this machine.
import { cpSync, mkdtempSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const project = join(here, '..');
const ordo = join(project, 'bin', 'ordo.js');
const work = mkdtempSync(join(tmpdir(), 'ordo-demo-'));

const dirs = {
  export: join(work, 'finances', 'export'),
  partnerInbox: join(work, 'tresorerie', 'depot'),
  partnerOutbox: join(work, 'tresorerie', 'retours'),
};
for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
cpSync(join(project, 'fixtures', 'demo', 'outgoing'), dirs.export, { recursive: true });
cpSync(join(project, 'fixtures', 'demo', 'partner-outbox'), dirs.partnerOutbox, { recursive: true });

const config = {
  root: './ordo-data',
  profiles: { VILLE: { label: 'Ville de Saint-Exemple', insee: '40999' } },
  naming: { timestamp: true, search: { ACQUIT: 'acquittements', RCT: 'retours' } },
  scenarios: {
    PES: {
      profile: 'VILLE',
      protocol: 'local',
      source: './finances/export',
      filter: ['*.xml'],
      settle: '0s',
      backup: { ifExists: 'rename' },
      options: { target: './tresorerie/depot', inbox: './tresorerie/retours', afterRetrieve: 'delete' },
    },
  },
};
writeFileSync(join(work, 'ordo.config.json'), `${JSON.stringify(config, null, 2)}\n`);

const say = (text) => process.stdout.write(`\n\u001b[1m${text}\u001b[0m\n`);
const ordoRun = (...args) => {
  process.stdout.write(`$ ordo ${args.join(' ')}\n`);
  const result = spawnSync(process.execPath, [ordo, ...args], { cwd: work, stdio: 'inherit', env: { ...process.env } });
  process.stdout.write(`(exit code ${result.status})\n`);
  return result.status;
};
const tree = (dir) => {
  const out = [];
  const walk = (d) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.push(`  ${relative(work, path)}`);
    }
  };
  walk(dir);
  return out.join('\n');
};

say(`Demo folder: ${work}`);
say('1. What is ready to send (the .tmp file is a temporary file of the producing software: ignored)');
ordoRun('scan');
say('2. One full cycle: recover, scan, send (backup + journal), retrieve (naming plan)');
const code = ordoRun('run');
say('3. Files afterwards');
process.stdout.write(`${tree(work)}\n`);
say('4. logs/last.log');
process.stdout.write(readFileSync(join(work, 'ordo-data', 'logs', 'last.log'), 'utf8'));
say('5. A second run: nothing to do (exit code 0), nothing sent twice');
ordoRun('run');
process.exitCode = code ?? 1;
