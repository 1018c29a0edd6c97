#!/usr/bin/env node
// `npm run build:exe`: ordo as one file that needs nothing installed — dist-exe/ordo.exe (Windows x64) and
// dist-exe/ordo-linux-x64, with dist-exe/SHA256SUMS. The sources are bundled by esbuild into one CommonJS
// script, which Node's single executable application support (SEA) turns into a blob, injected by postject
// into the official Node.js binary. The blob is made by the Linux binary of the same version as the one it
// goes into (the blob does not depend on the platform, only on the version).
//
// Node 22 LTS, not 24: Node 24's node.exe does not start under Wine 8 (Debian 12's), which is how the
// Windows executable is tested ("Fatal process out of memory: SegmentedTable::InitializeTable").
// To upgrade, change NODE_VERSION, then `npm run build:exe` and `npx vitest run test/exe`.
//
// ordo.exe gets a V8 code cache (a faster start) when Wine is installed to make it (scripts/exe/wine.mjs).
//
// Nothing is rebuilt when the inputs (sources, lock file, these scripts, NODE_VERSION, commit, whether Wine
// makes the Windows code cache) have not changed: the hash is kept in dist-exe/.inputs. ORDO_EXE_FORCE=1
// rebuilds anyway.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, closeSync, copyFileSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { commitOf } from './commit.mjs';
import { inputsHash } from './exe/inputs.mjs';
import { nodeBinary, TARGETS } from './exe/node-binary.mjs';
import { seaBlobUnderWine, wineLoader } from './exe/wine.mjs';

export const NODE_VERSION = '22.23.3';
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist-exe');
const cache = join(root, 'node_modules', '.cache', 'ordo-exe');
const work = join(cache, 'work');
const postjectCli = join(root, 'node_modules', 'postject', 'dist', 'cli.js');

const started = performance.now();
const commit = commitOf(root);
const wine = wineLoader();
const codeCaches = [];
const hash = inputsHash(root, { node: NODE_VERSION, commit, windowsCodeCache: wine !== undefined });
const stamp = join(out, '.inputs');
const outputs = Object.values(TARGETS).map((t) => join(out, t.output));
// The test files that need the executables start together: one builds, the others wait for it.
const release = await buildLock(join(cache, 'build.lock'));
try {
  if (process.env.ORDO_EXE_FORCE !== '1' && readOr(stamp) === hash && outputs.every((o) => existsSync(o))) {
    console.log(`dist-exe/ is up to date (inputs ${hash.slice(0, 12)}), ${seconds()} s`);
  } else {
    await buildAll();
    console.log(`dist-exe/ built (Node.js ${NODE_VERSION}, commit ${commit}; ${codeCaches.join(', ')}), ${seconds()} s`);
  }
} finally {
  release();
}

async function buildAll() {
  rmSync(stamp, { force: true });
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  mkdirSync(out, { recursive: true });
  const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
  const bundle = join(work, 'ordo.cjs');
  await build({
    stdin: { contents: "import { main } from './src/cli.ts';\nmain(process.argv);\n", resolveDir: root, loader: 'ts', sourcefile: 'ordo-exe.ts' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: `node${NODE_VERSION.split('.')[0]}`,
    outfile: bundle,
    // jsonc-parser's UMD build (its "main") requires ./impl/format in a way esbuild cannot follow.
    mainFields: ['module', 'main'],
    // ssh2 and cpu-features try their compiled parts, then fall back to JavaScript: nothing loads from outside.
    external: ['*.node'],
    define: { ORDO_BUILD: JSON.stringify({ version, commit }) },
    minifySyntax: true,
    minifyWhitespace: true,
    legalComments: 'none',
    logLevel: 'warning',
    // src/shared/build-info.ts reads package.json through import.meta.url only when ORDO_BUILD is not
    // defined, which it is here: the warning is about a branch the executable never takes.
    logOverride: { 'empty-import-meta': 'silent' },
  });
  const builder = nodeBinary(cache, 'linux-x64', NODE_VERSION);
  const sums = [];
  for (const [target, { output }] of Object.entries(TARGETS)) {
    const blob = join(work, `${target}.blob`);
    const config = join(work, `${target}.sea.json`);
    // A code cache is only valid on the platform that made it: Windows' is made under Wine, if there is one.
    const underWine = target === 'win-x64' && wine !== undefined;
    const useCodeCache = target === 'linux-x64' || underWine;
    // Paths relative to `work`, which Wine sees as Z:\….
    writeFileSync(config, JSON.stringify({ main: basename(bundle), output: basename(blob), disableExperimentalSEAWarning: true, useCodeCache, useSnapshot: false }));
    if (underWine) seaBlobUnderWine(wine, join(cache, 'wine-prefix'), nodeBinary(cache, target, NODE_VERSION), basename(config), work);
    else quiet(builder, ['--experimental-sea-config', config]);
    codeCaches.push(`${output}: ${useCodeCache ? 'code cache' : 'no code cache (no Wine to make it)'}`);
    const file = join(out, output);
    rmSync(file, { force: true });
    copyFileSync(nodeBinary(cache, target, NODE_VERSION), file);
    chmodSync(file, 0o755);
    // postject's own warnings about Node's ELF notes and the PE signature it invalidates are expected.
    quiet(process.execPath, [postjectCli, file, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', SEA_FUSE]);
    sums.push(`${createHash('sha256').update(readFileSync(file)).digest('hex')}  ${output}\n`);
  }
  writeFileSync(join(out, 'SHA256SUMS'), sums.join(''));
  writeFileSync(stamp, hash);
}

/** Runs a build step; its output is shown only when it fails. */
function quiet(command, args) {
  const result = spawnSync(command, args, { cwd: work, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal}):\n${result.stdout}${result.stderr}`);
}

/** An exclusive lock file; one older than 10 minutes is left from a build that was killed. */
async function buildLock(path) {
  mkdirSync(dirname(path), { recursive: true });
  for (;;) {
    try {
      closeSync(openSync(path, 'wx'));
      return () => rmSync(path, { force: true });
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      const age = Date.now() - (statOr(path)?.mtimeMs ?? Date.now());
      if (age > 600_000) rmSync(path, { force: true });
      else await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

function statOr(path) {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function readOr(path) {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function seconds() {
  return ((performance.now() - started) / 1000).toFixed(1);
}
