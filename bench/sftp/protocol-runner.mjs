// One transfer through ordo's sftp protocol alone (no engine: no claim, backup, hashing or journal),
// in its own process so that the benchmark measures its time and peak memory like any command.
// Usage: node protocol-runner.mjs <settings.json> upload <local file> <remote name>
//        node protocol-runner.mjs <settings.json> download <remote name> <local file>
//        node protocol-runner.mjs <settings.json> upload-many <local folder>
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importProtocol } from '../lib.mjs';

// As the CLI loads it (the bundle's file), from this runner's checkout.
const { sftpProtocol } = await importProtocol(fileURLToPath(new URL('../..', import.meta.url)), 'sftp');

const [settingsFile, operation, first, second] = process.argv.slice(2);
const { profile, options, root } = JSON.parse(readFileSync(settingsFile, 'utf8'));
const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined };
const session = await sftpProtocol.open({ profileName: 'BENCH', profile, options, configDir: root, root, dryRun: false, counters: undefined, log: quiet });

const item = (path, name) => ({ path, name, size: statSync(path).size, sha256: '' });
try {
  if (operation === 'upload') {
    await session.send(item(first, second));
  } else if (operation === 'download') {
    const entry = (await session.list()).find((candidate) => candidate.name === first);
    if (entry === undefined) throw new Error(`${first} is not in the remote inbox`);
    await session.fetch(entry, second);
  } else if (operation === 'upload-many') {
    // As the engine does: each send names the file that comes next.
    const names = readdirSync(first).sort();
    for (const [index, name] of names.entries()) await session.send(item(join(first, name), name), { nextName: names[index + 1] });
  } else {
    throw new Error(`unknown operation ${operation}`);
  }
} finally {
  await session.close();
}
