// ordo.exe's V8 code caches (a start about twice as fast): a code cache is only valid for the platform that
// made it, so the Windows node.exe makes them, run by Wine (Debian's wine64) in a Wine prefix of the build
// cache. Without Wine (or with ORDO_EXE_WINE=0), ordo.exe has no code cache.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const LOADERS = ['/usr/lib/wine/wine64', '/usr/bin/wine64', '/usr/bin/wine'];

/** The Wine loader to make the Windows code caches with, or undefined. */
export function wineLoader() {
  if (process.env.ORDO_EXE_WINE === '0' || process.platform !== 'linux') return undefined;
  return LOADERS.find((path) => existsSync(path));
}

/**
 * Runs Windows programs under Wine in `prefix` (made on first use): `run(args, cwd, env)` (the environment,
 * Wine's settings added) throws with the program's output when it fails; `close()` stops the Wine server.
 */
export function wineSession(loader, prefix) {
  const wine = { WINEPREFIX: prefix, WINEDEBUG: '-all', WINEDLLOVERRIDES: 'mscoree,mshtml=' };
  // Under Wine, Node.js writes to a pipe unreliably: the program's output goes to a file.
  const log = join(prefix, 'last-output.txt');
  const run = (args, cwd, env = process.env) => {
    const fd = openSync(log, 'w');
    let result;
    try {
      result = spawnSync(loader, args, { cwd, env: { ...env, ...wine }, stdio: ['ignore', fd, fd], timeout: 300_000 });
    } finally {
      closeSync(fd);
    }
    if (result.status !== 0) throw new Error(`wine ${args.join(' ')} failed (exit ${result.status ?? result.signal}):\n${readFileSync(log, 'utf8')}`);
  };
  mkdirSync(prefix, { recursive: true });
  if (!existsSync(join(prefix, 'system.reg'))) {
    // Node 22 refuses to start on the Windows version a new prefix reports (7).
    run(['reg', 'add', 'HKCU\\Software\\Wine', '/v', 'Version', '/t', 'REG_SZ', '/d', 'win10', '/f'], prefix);
  }
  return { run, close: () => spawnSync(join(loader, '..', 'wineserver'), ['-k'], { env: { ...process.env, ...wine } }) };
}
