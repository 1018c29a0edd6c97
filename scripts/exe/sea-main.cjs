// The first script of the single executable (its SEA "main"). ordo's bundle is stored inside the executable
// as assets, one per chunk (the start, each command, protocol and optional library), each loaded when first
// required: `ordo --version` compiles ~200 KB instead of the whole 2.7 MB. Each chunk comes with the V8 code
// cache the build made by running ordo (`<chunk>.cache`), so what a start runs is not compiled again.
//
// The build also runs this script with the Node.js the executable is made from, outside the executable, to
// make those code caches: ORDO_EXE_CHUNKS names the folder of the chunks, ORDO_EXE_CODE_CACHE the folder
// where each chunk's cache is read and written back at exit (so consecutive runs add up).
'use strict';
const sea = require('node:sea');
const { Script } = require('node:vm');
const { dirname, join, posix } = require('node:path');
const fs = require('node:fs');

const builtin = require;
const chunks = sea.isSea() ? undefined : process.env.ORDO_EXE_CHUNKS;
const codeCaches = sea.isSea() ? undefined : process.env.ORDO_EXE_CODE_CACHE;
const loaded = new Map();

if (!sea.isSea() && (chunks === undefined || codeCaches === undefined)) {
  throw new Error('This script starts the single executable; build it with `npm run build:exe`.');
}

function asset(name, encoding) {
  try {
    if (chunks !== undefined) return fs.readFileSync(join(name.endsWith('.cache') ? codeCaches : chunks, name), encoding);
    return encoding === undefined ? Buffer.from(sea.getAsset(name)) : sea.getAsset(name, encoding);
  } catch {
    return undefined;
  }
}

/** A chunk's exports, run once; a name that is no chunk (a native addon: ssh2's, cpu-features') is not found. */
function load(name) {
  const known = loaded.get(name);
  if (known !== undefined) return known.module.exports;
  const source = asset(name, 'utf8');
  if (source === undefined) throw Object.assign(new Error(`Cannot find module '${name}'`), { code: 'MODULE_NOT_FOUND' });
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: name,
    cachedData: asset(`${name}.cache`),
  });
  const module = { exports: {} };
  loaded.set(name, { module, script });
  const folder = posix.dirname(name);
  const requireFrom = (specifier) => (specifier.startsWith('.') ? load(posix.join(folder, specifier)) : builtin(specifier));
  script.runInThisContext().call(module.exports, module.exports, requireFrom, module, process.execPath, dirname(process.execPath));
  return module.exports;
}

if (codeCaches !== undefined) {
  process.once('exit', () => {
    for (const [name, { script }] of loaded) {
      fs.mkdirSync(dirname(join(codeCaches, name)), { recursive: true });
      fs.writeFileSync(join(codeCaches, `${name}.cache`), script.createCachedData());
    }
  });
}

load('cli.js');
