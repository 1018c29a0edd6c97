// The least a Node.js program can do for a scan: list the folder, look at each file's size and date
// (one synchronous stat each, as ordo does), print one path a line. No filter, no sorting, no checks.
// Usage: node bare-node.mjs <folder>
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const folder = process.argv[2];
const out = [];
for (const name of readdirSync(folder)) {
  const path = join(folder, name);
  const stats = statSync(path, { throwIfNoEntry: false });
  if (stats?.isFile() && stats.mtimeMs > 0) out.push(path);
}
process.stdout.write(`${out.join('\n')}\n`);
