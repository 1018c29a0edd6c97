// A separate ordo process for the journal index tests: appends `count` files' worth of journal lines
// for its scenario (sending + sent, and a received + acknowledged), catching the index up every few
// files, and checks after each append that its own lookups see what it just wrote. With `damage`, it
// also spoils state.json now and then, so that the other process meets rebuilds while it reads.
// Uses the compiled modules (dist/), built by `npm run build`.
// Usage: node journal-index-worker.mjs <root> <scenario> <count> [damage]
const { Journal } = await import(new URL('../../../dist/core/journal.js', import.meta.url).href);
const { JournalIndex } = await import(new URL('../../../dist/core/journal-index.js', import.meta.url).href);
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [root, scenario, count, damage] = process.argv.slice(2);
const journal = new Journal(root, `run-${scenario}`);
const index = new JournalIndex(root);
await index.catchUp();
const fail = (message) => {
  process.stderr.write(`${message}\n`);
  process.exit(1);
};
for (let i = 0; i < Number(count); i++) {
  const file = `${scenario}-${i}.xml`;
  const path = `/q/${scenario}/${i}/${file}`;
  const sha256 = `${scenario}-sha-${i % 50}`;
  await journal.append({ scenario, direction: 'send', state: 'sending', file, size: i, sha256, path });
  if ((await index.lastSend(path))?.state !== 'sending') fail(`${path}: sending not seen`);
  await journal.append({ scenario, direction: 'send', state: 'sent', file, size: i, sha256, path, remoteId: `r${i}` });
  const acknowledged = await index.acknowledged(scenario, sha256);
  if (acknowledged?.file !== file) fail(`${sha256}: ${acknowledged?.file} instead of ${file}`);
  const key = `P|local|${scenario}-remote-${i}|`;
  await journal.append({ scenario, direction: 'receive', state: 'received', file: `in-${i}`, path: `/recus/${i}`, key });
  await journal.append({ scenario, direction: 'receive', state: 'acknowledged', file: `in-${i}`, path: `/recus/${i}`, key });
  if ((await index.received(key))?.state !== 'acknowledged') fail(`${key}: acknowledged not seen`);
  if ((await index.lastTransfer(scenario))?.file !== `in-${i}`) fail(`${scenario}: last transfer is not in-${i}`);
  if (i % 7 === 3) await index.catchUp();
  if (damage === 'damage' && i % 40 === 20) writeFileSync(join(root, 'journal-index', 'state.json'), '{"version": 1, "gen');
  if (i % 10 === 0) {
    // Lines written before the last catch-up are found through the buckets.
    const old = `/q/${scenario}/${Math.floor(i / 2)}/${scenario}-${Math.floor(i / 2)}.xml`;
    if ((await index.lastSend(old))?.state !== 'sent') fail(`${old}: sent not found`);
  }
}
await journal.close();
await index.catchUp();
index.close();
