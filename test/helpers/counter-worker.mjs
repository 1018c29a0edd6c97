// Takes `count` numbers from a counter store, like a separate ordo process would, and prints each one
// as soon as next() has resolved. Uses the compiled module (dist/), built by `npm run build`.
// Usage: node counter-worker.mjs <root> <ini|file> <counters path> <count> [counter name]
import { writeSync } from 'node:fs';

const { openCounterStore } = await import(new URL('../../dist/naming/index.js', import.meta.url).href);
const [root, kind, path, count, counter = 'numrec'] = process.argv.slice(2);
const store = openCounterStore({ root, counters: { kind, path } });
for (let i = 0; i < Number(count); i++) {
  const { value } = await store.next(counter);
  writeSync(1, `${value}\n`);
}
