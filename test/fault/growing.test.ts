// A file still being written while ordo runs (a producer appending a block every 200 ms for as long as
// two whole runs last), with the default settle time (2 s): it is never delivered half-written, and a
// run after the producer closed it delivers it complete, once.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { entries, sha256, sha256OfFile, shown, strayFiles } from './harness/files.js';
import { printTable, record } from './harness/figures.js';
import { ordoRun, type Run } from './harness/run.js';
import { faultSite } from './harness/site.js';

afterAll(() => printTable('file still being written'));

const BLOCK = 64 * 1024;
const EVERY_MS = 200;
const RUNS_WHILE_WRITING = 2;

describe('a file still being written', () => {
  it('is never delivered half-written, and is delivered complete once the producer is done', async () => {
    const site = faultSite('growing');
    // The default settle time: no `settle` key.
    site.config({ settle: undefined });
    try {
      writeFileSync(join(site.source, 'PES_PRET.xml'), '<pes>prêt</pes>');
      const path = join(site.source, 'PES_EN_COURS.xml');
      const handle = await open(path, 'w');
      const written: Buffer[] = [];
      let stop = false as boolean; // set once the run is over, while the producer loops
      const producer = (async () => {
        while (!stop) {
          const block = randomBytes(BLOCK);
          await handle.write(block);
          written.push(block);
          // The producer's pace is the thing under test, not a wait: a block every 200 ms keeps the
          // file's size and mtime changing well within the 2 s settle time ordo watches them over.
          await new Promise((resolve) => setTimeout(resolve, EVERY_MS));
        }
        await handle.close();
      })();

      // Runs that start and end while the producer writes (each one looks twice, 2 s apart, and lasts a
      // little more than that): none may take the file.
      const during: Run[] = [];
      const seenDuring: string[] = [];
      while (during.length < RUNS_WHILE_WRITING) {
        const run = await ordoRun(['run'], { cwd: site.base });
        during.push(run);
        if (existsSync(join(site.target, 'PES_EN_COURS.xml'))) seenDuring.push(`after run ${during.length}: ${readFileSync(join(site.target, 'PES_EN_COURS.xml')).length} bytes`);
      }
      stop = true;
      await producer;
      const complete = Buffer.concat(written);
      const after = await ordoRun(['run'], { cwd: site.base });
      const again = await ordoRun(['run', '--json'], { cwd: site.base });

      const problems: string[] = [];
      const runsWhileProducing = during.length;
      for (const seen of seenDuring) problems.push(`PES_EN_COURS.xml reached the partner while still being written (${seen})`);
      for (const [i, run] of during.entries()) if (run.code !== 0) problems.push(`run ${i + 1} during production: exit ${run.code}:\n${run.stdout}${run.stderr}`);
      if (!existsSync(join(site.target, 'PES_PRET.xml'))) problems.push('the ready file PES_PRET.xml was not sent');
      const delivered = join(site.target, 'PES_EN_COURS.xml');
      if (!existsSync(delivered)) problems.push(`the complete file was not delivered by the run after the producer closed it (exit ${after.code}):\n${after.stdout}${after.stderr}`);
      else if (sha256OfFile(delivered) !== sha256(complete)) problems.push(`PES_EN_COURS.xml at the partner holds ${readFileSync(delivered).length} bytes, not the ${complete.length} written`);
      if (after.code !== 0) problems.push(`the run after the producer: exit ${after.code}`);
      const secondTime = (JSON.parse(again.stdout) as { files: unknown[] }).files;
      if (secondTime.length !== 0) problems.push(`a further run still sent something: ${again.stdout}`);
      const atPartner = entries(site.target).filter((n) => !n.startsWith('.'));
      if (atPartner.join(',') !== 'PES_EN_COURS.xml,PES_PRET.xml') problems.push(`the partner holds ${atPartner.map(shown).join(', ')}`);
      for (const stray of strayFiles(site.target)) problems.push(`temporary file left in the partner's folder: ${shown(stray)}`);
      if (entries(site.source).length > 0) problems.push(`left in the source: ${entries(site.source).map(shown).join(', ')}`);

      record({
        case: 'file still being written',
        files: 2,
        lost: existsSync(delivered) ? 0 : 1,
        duplicated: 0,
        partial: seenDuring.length + (existsSync(delivered) && sha256OfFile(delivered) !== sha256(complete) ? 1 : 0),
        leftovers: strayFiles(site.target).length,
        notes: `${runsWhileProducing} runs while writing (${written.length} blocks of 64 KiB, one every ${EVERY_MS} ms), settle 2 s`,
      });
      expect(problems, problems.join('\n')).toEqual([]);
    } finally {
      site.cleanup();
    }
  }, 60_000);
});
