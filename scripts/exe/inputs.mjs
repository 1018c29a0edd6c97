// What an executable is made of, as one hash: the sources, the locked dependencies, the build scripts, the
// Node.js version and the commit. dist-exe/ is rebuilt only when this hash changes (CI runs the tests twice).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const INPUTS = ['src', 'scripts/build-exe.mjs', 'scripts/commit.mjs', 'scripts/lazy-child-process.mjs', 'scripts/idle-site.mjs', 'scripts/exe', 'package.json', 'package-lock.json'];

export function inputsHash(root, extra) {
  const hash = createHash('sha256').update(JSON.stringify(extra));
  for (const input of INPUTS) {
    for (const file of filesUnder(join(root, input))) {
      hash.update(relative(root, file).replaceAll('\\', '/')).update('\0').update(readFileSync(file)).update('\0');
    }
  }
  return hash.digest('hex');
}

function filesUnder(path) {
  let entries;
  try {
    entries = readdirSync(path, { withFileTypes: true });
  } catch (error) {
    if (error.code === 'ENOTDIR') return [path];
    throw error;
  }
  return entries
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((entry) => filesUnder(join(path, entry.name)));
}
