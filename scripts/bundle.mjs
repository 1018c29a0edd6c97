#!/usr/bin/env node
// The program `bin/ordo.js` runs: dist/ (tsc's output) bundled by esbuild into dist/bundle/, one file for
// the start and one chunk per command, protocol and optional library, loaded when used. A cron job that
// runs `ordo run` every minute pays the start 1 440 times a day: loading ~260 modules one by one (each
// resolved, read and compiled) and all of zod's locales cost more than the run itself. Dependencies are
// bundled too, except ssh2 and native addons (see `external`).
//
// Usage: node scripts/bundle.mjs   (after tsc; `npm run build` runs both)
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { commitOf } from './commit.mjs';
import { lazyChildProcess } from './lazy-child-process.mjs';

const project = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${project}dist/bundle`;

/** Makes dist/bundle again unless it was made from the same dist/ (a test run that finds it up to date leaves it alone). */
export async function bundle() {
  const commit = commitOf(project);
  const stamp = stampOf(commit);
  const stampFile = `${outdir}/stamp`;
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) return;
  rmSync(outdir, { recursive: true, force: true });
  const { version } = JSON.parse(readFileSync(`${project}package.json`, 'utf8'));
  const { metafile } = await build({
    entryPoints: [`${project}dist/cli.js`],
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.18',
    // jsonc-parser's "main" is a UMD build whose require('./impl/…') a bundler cannot follow.
    mainFields: ['module', 'main'],
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    // ssh2 (and ssh2-sftp-client over it) stays in node_modules, loaded from there when SFTP is used: its
    // native crypto binding (`sshcrypto.node`, AES-GCM without a cipher object per packet) is found only
    // beside its own files; bundled, it would fall back to JavaScript, at less than half the speed.
    // Other native addons (cpu-features) stay where their packages look for them too.
    external: ['*.node', 'ssh2', 'ssh2-sftp-client'],
    // Bundled CommonJS dependencies (ssh2, undici…) call require() for Node's own modules and their native
    // addons: one require, made by the first file of the bundle that loads, shared by the others.
    banner: { js: "import { createRequire as __ordoCreateRequire } from 'node:module'; const require = (globalThis.__ordoRequire ??= __ordoCreateRequire(import.meta.url));" },
    // CommonJS code of dependencies also reads __dirname/__filename (ssh2's poly1305 loader does).
    define: { ORDO_BUILD: JSON.stringify({ version, commit }), __dirname: 'import.meta.dirname', __filename: 'import.meta.filename' },
    legalComments: 'none',
    minifyWhitespace: true,
    minifySyntax: true,
    logLevel: 'warning',
    metafile: true,
    plugins: [lazyChildProcess],
  });
  // Which modules each file of the bundle holds: the tests that check what a command loads read it.
  const inputs = {};
  for (const [output, { inputs: held }] of Object.entries(metafile.outputs)) {
    inputs[relative(outdir, `${project}${output}`).split('\\').join('/')] = Object.keys(held);
  }
  writeFileSync(`${outdir}/inputs.json`, `${JSON.stringify(inputs, null, 1)}\n`);
  writeFileSync(stampFile, stamp);
}

/** What the bundle is made from: every file of dist/ (name, size, time), this script, the packages, the commit. */
function stampOf(commit) {
  const hash = createHash('sha256').update(`${commit}\n`);
  const walk = (folder) => {
    for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(folder, entry.name);
      if (path === outdir) continue;
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.js')) {
        const { size, mtimeMs } = statSync(path);
        hash.update(`${relative(project, path)} ${size} ${mtimeMs}\n`);
      }
    }
  };
  walk(`${project}dist`);
  hash.update(readFileSync(fileURLToPath(import.meta.url))).update(readFileSync(fileURLToPath(new URL('./lazy-child-process.mjs', import.meta.url))));
  for (const file of ['package.json', 'package-lock.json']) hash.update(readFileSync(`${project}${file}`));
  return hash.digest('hex');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await bundle();
