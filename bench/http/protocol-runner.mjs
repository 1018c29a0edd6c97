// One transfer through ordo's xfb or http protocol alone (no engine: no claim, backup, hashing or
// journal), in its own process so that the benchmark measures its time and peak memory like any command.
// Usage: node protocol-runner.mjs <settings.json> upload <local file> <remote name>
//        node protocol-runner.mjs <settings.json> download <remote name> <local file>
// settings.json: { "protocol": "xfb" | "http", "profile": {…}, "options": {…}, "root": "<folder>" }
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { importProtocol } from '../lib.mjs';

const [settingsFile, operation, first, second] = process.argv.slice(2);
const { protocol, profile, options, root } = JSON.parse(readFileSync(settingsFile, 'utf8'));
// As the CLI loads it (the bundle's file), from this runner's checkout.
const { [`${protocol}Protocol`]: definition } = await importProtocol(fileURLToPath(new URL('../..', import.meta.url)), protocol);
const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined };
const session = await definition.open({ profileName: 'BENCH', profile, options, configDir: root, root, dryRun: false, counters: undefined, log: quiet });

try {
  if (operation === 'upload') {
    await session.send({ path: first, name: second, size: statSync(first).size, sha256: '' });
  } else if (operation === 'download') {
    const entry = (await session.list()).find((candidate) => candidate.name === first);
    if (entry === undefined) throw new Error(`${first} is not waiting at the gateway`);
    await session.fetch(entry, second);
  } else {
    throw new Error(`unknown operation ${operation}`);
  }
} finally {
  await session.close();
}
