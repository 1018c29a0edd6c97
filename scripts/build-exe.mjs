#!/usr/bin/env node
// `npm run build:exe`: ordo as one file that needs nothing installed — dist-exe/ordo.exe (Windows x64) and
// dist-exe/ordo-linux-x64, with dist-exe/SHA256SUMS. esbuild bundles the sources into chunks as for the npm
// package (the start, one per command, protocol and optional library), each made CommonJS; Node's single
// executable application support (SEA) stores them as assets of a blob whose main script,
// scripts/exe/sea-main.cjs, loads each chunk when it is first required (`--version` compiles ~200 KB, not
// 2.7 MB); postject injects the blob into the official Node.js binary. The blob is made by the Linux binary
// of the same version as the one it goes into (the blob does not depend on the platform, only on the version).
//
// Node 22 LTS, not 24: Node 24's node.exe does not start under Wine 8 (Debian 12's), which is how the
// Windows executable is tested ("Fatal process out of memory: SegmentedTable::InitializeTable").
// To upgrade, change NODE_VERSION, then `npm run build:exe` and `npx vitest run test/exe`.
//
// Each chunk gets a V8 code cache, made by running ordo's start script outside the executable with the same
// Node.js (`--version`, then `run` with nothing to do): what those runs compiled is not compiled again at a
// start. A code cache is only valid on the platform that made it: ordo.exe gets its caches when Wine is
// installed to run node.exe (scripts/exe/wine.mjs).
//
// Nothing is rebuilt when the inputs (sources, lock file, these scripts, NODE_VERSION, commit, whether Wine
// makes the Windows code cache) have not changed: the hash is kept in dist-exe/.inputs. ORDO_EXE_FORCE=1
// rebuilds anyway.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, closeSync, copyFileSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, transform } from 'esbuild';
import { commitOf } from './commit.mjs';
import { inputsHash } from './exe/inputs.mjs';
import { nodeBinary, TARGETS } from './exe/node-binary.mjs';
import { wineLoader, wineSession } from './exe/wine.mjs';
import { idleSite } from './idle-site.mjs';
import { lazyChildProcess } from './lazy-child-process.mjs';

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
  const chunks = await bundleChunks();
  copyFileSync(join(root, 'scripts', 'exe', 'sea-main.cjs'), join(work, 'sea-main.cjs'));
  idleSite(join(work, 'site'));
  const builder = nodeBinary(cache, 'linux-x64', NODE_VERSION);
  const sums = [];
  for (const [target, { output }] of Object.entries(TARGETS)) {
    const blob = `${target}.blob`;
    const config = `${target}.sea.json`;
    const caches = `${target}-code-cache`;
    // A code cache is only valid on the platform that made it: Windows' is made under Wine, if there is one.
    const session = target === 'win-x64' && wine !== undefined ? wineSession(wine, join(cache, 'wine-prefix')) : undefined;
    const nodeOf = target === 'linux-x64' ? (args, cwd, env) => quiet(builder, args, cwd, { ...env, HOME: cwd }) : session?.run;
    try {
      if (nodeOf !== undefined) makeCodeCaches(target === 'linux-x64' ? [] : [nodeBinary(cache, target, NODE_VERSION)], nodeOf, caches);
      const assets = {};
      for (const chunk of chunks) {
        assets[chunk] = `bundle/${chunk}`;
        // Chunks the code-cache runs did not load (other protocols, commands) are compiled when used.
        if (existsSync(join(work, caches, `${chunk}.cache`))) assets[`${chunk}.cache`] = `${caches}/${chunk}.cache`;
      }
      // Paths relative to `work`, which Wine sees as Z:\….
      writeFileSync(join(work, config), JSON.stringify({ main: 'sea-main.cjs', output: blob, disableExperimentalSEAWarning: true, useCodeCache: nodeOf !== undefined, useSnapshot: false, assets }));
      if (session !== undefined) session.run([nodeBinary(cache, target, NODE_VERSION), '--experimental-sea-config', config], work);
      else quiet(builder, ['--experimental-sea-config', config]);
    } finally {
      session?.close();
    }
    codeCaches.push(`${output}: ${nodeOf !== undefined ? 'code cache' : 'no code cache (no Wine to make it)'}`);
    const file = join(out, output);
    rmSync(file, { force: true });
    copyFileSync(nodeBinary(cache, target, NODE_VERSION), file);
    chmodSync(file, 0o755);
    // postject's own warnings about Node's ELF notes and the PE signature it invalidates are expected.
    quiet(process.execPath, [postjectCli, file, 'NODE_SEA_BLOB', join(work, blob), '--sentinel-fuse', SEA_FUSE]);
    sums.push(`${createHash('sha256').update(readFileSync(file)).digest('hex')}  ${output}\n`);
  }
  writeFileSync(join(out, 'SHA256SUMS'), sums.join(''));
  writeFileSync(stamp, hash);
}

/**
 * Bundles ordo into `work/bundle/` as esbuild splits it for the npm package (one chunk for the start, one per
 * command, protocol and optional library), each chunk then made CommonJS, the format an executable's
 * scripts run in: `import()` becomes a `require` that scripts/exe/sea-main.cjs serves from the executable.
 * Returns the chunks' names.
 */
async function bundleChunks() {
  const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
  const outdir = join(work, 'bundle');
  const entry = join(work, 'cli.ts');
  writeFileSync(entry, `import { main } from ${JSON.stringify(join(root, 'src', 'cli.ts'))};\nmain(process.argv);\n`);
  const { metafile } = await build({
    entryPoints: { cli: entry },
    absWorkingDir: root,
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: `node${NODE_VERSION.split('.')[0]}`,
    chunkNames: 'chunks/[name]-[hash]',
    // jsonc-parser's UMD build (its "main") requires ./impl/format in a way esbuild cannot follow.
    mainFields: ['module', 'main'],
    // ssh2 and cpu-features try their compiled parts, then fall back to JavaScript: nothing loads from outside.
    external: ['*.node'],
    define: { ORDO_BUILD: JSON.stringify({ version, commit }) },
    plugins: [lazyChildProcess],
    minifySyntax: true,
    minifyWhitespace: true,
    legalComments: 'none',
    logLevel: 'warning',
    metafile: true,
  });
  const names = Object.keys(metafile.outputs).map((output) => relative(outdir, join(root, output)).split(sep).join('/'));
  for (const name of names) {
    const path = join(outdir, name);
    // The code was bundled (and warned about) above; this only changes the module format. src/shared/build-info.ts
    // reads import.meta only when ORDO_BUILD is not defined, which it is here.
    const { code } = await transform(readFileSync(path, 'utf8'), {
      format: 'cjs',
      loader: 'js',
      target: `node${NODE_VERSION.split('.')[0]}`,
      // import() of a chunk becomes a require() of it, which the start script serves.
      supported: { 'dynamic-import': false },
      minifySyntax: true,
      minifyWhitespace: true,
      logLevel: 'error',
    });
    writeFileSync(path, code);
  }
  return names;
}

/**
 * Runs ordo's start script outside the executable, with the chunks of work/bundle, as users most often run
 * it — `--version`, then `run` with nothing to do — each run adding to the V8 code cache of the chunks it
 * loaded (scripts/exe/sea-main.cjs writes them into `work/<caches>/`).
 */
function makeCodeCaches(prefixArgs, node, caches) {
  // The builder's own ORDO_* settings (ORDO_CONFIG above all) must not reach these runs: they act on the
  // scratch site only.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('ORDO_')));
  Object.assign(env, { ORDO_EXE_CHUNKS: '../bundle', ORDO_EXE_CODE_CACHE: `../${caches}`, ORDO_LANG: 'en', NO_COLOR: '1' });
  for (const args of [['--version'], ['run']]) node([...prefixArgs, '../sea-main.cjs', ...args], join(work, 'site'), env);
}

/** Runs a build step; its output is shown only when it fails. */
function quiet(command, args, cwd = work, env = process.env) {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8' });
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
