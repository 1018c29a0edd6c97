// ordo.exe's V8 code caches (a start about twice as fast): a code cache is only valid for the platform that
// made it, so the Windows node.exe makes them, run by Wine (Debian's wine64) in a Wine prefix of the build
// cache. Without Wine (or with ORDO_EXE_WINE=0), ordo.exe has no code cache. The test of ordo.exe
// (test/exe/harness.ts) makes its own prefix with the same session.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statfsSync } from 'node:fs';
import { freemem, tmpdir } from 'node:os';
import { join } from 'node:path';

const LOADERS = ['/usr/lib/wine/wine64', '/usr/bin/wine64', '/usr/bin/wine'];

/** How many times a new prefix is tried before the session gives up. */
const PREFIX_ATTEMPTS = 3;

/** The Wine loader to make the Windows code caches with, or undefined. */
export function wineLoader() {
  if (process.env.ORDO_EXE_WINE === '0' || process.platform !== 'linux') return undefined;
  return LOADERS.find((path) => existsSync(path));
}

/**
 * Runs Windows programs under Wine in `prefix` (made on first use, reporting Windows 10): `run(args, cwd,
 * env)` (the environment, Wine's settings added) throws with the program's output when it fails; `close()`
 * stops the Wine server and removes its folder.
 */
export function wineSession(loader, prefix) {
  const settings = { WINEPREFIX: prefix, WINEDEBUG: '-all', WINEDLLOVERRIDES: 'mscoree,mshtml=' };
  const wineserver = join(loader, '..', 'wineserver');
  const attempt = (args, cwd, env = process.env, extra = {}) => {
    // Under Wine, Node.js writes to a pipe unreliably: the program's output goes to a file.
    const log = join(prefix, 'last-output.txt');
    mkdirSync(prefix, { recursive: true });
    const fd = openSync(log, 'w');
    let result;
    try {
      result = spawnSync(loader, args, { cwd, env: { ...env, ...settings, ...extra }, stdio: ['ignore', fd, fd], timeout: 300_000 });
    } finally {
      closeSync(fd);
    }
    return { failure: result.status === 0 ? undefined : `exit ${result.status ?? result.signal}`, output: readFileSync(log, 'utf8') };
  };
  const run = (args, cwd, env) => {
    const { failure, output } = attempt(args, cwd, env);
    if (failure !== undefined) throw new Error(`wine ${args.join(' ')} failed (${failure}):\n${output}`);
  };
  const close = () => {
    const env = { ...process.env, ...settings };
    spawnSync(wineserver, ['-k'], { env });
    spawnSync(wineserver, ['-w'], { env, timeout: 30_000 });
    // Debian's Wine keeps its server's socket in /tmp/wine-XXXXXX, named in <prefix>/wineserver, and leaves
    // that folder behind; the next server of this prefix makes it again.
    const serverDir = readServerDir(prefix);
    if (serverDir !== undefined) rmSync(join(tmpdir(), serverDir), { recursive: true, force: true });
  };
  if (!existsSync(join(prefix, 'system.reg'))) makePrefix(prefix, attempt, close);
  return { run, close };
}

/**
 * Wine's first start in a prefix makes it (its registry, C:\) and starts its server. Node 22 refuses to start
 * on the Windows version a new prefix reports (7), so the first program run sets Windows 10. That first
 * start has failed once in CI with exit 1 and no output at all, never here: it is tried again in a new
 * prefix, with Wine's error messages on, and the error says what each attempt printed.
 */
function makePrefix(prefix, attempt, close) {
  const failures = [];
  for (let n = 1; n <= PREFIX_ATTEMPTS; n++) {
    const extra = n === 1 ? {} : { WINEDEBUG: 'fixme-all' };
    const { failure, output } = attempt(['reg', 'add', 'HKCU\\Software\\Wine', '/v', 'Version', '/t', 'REG_SZ', '/d', 'win10', '/f'], prefix, process.env, extra);
    if (failure === undefined) return;
    failures.push(`attempt ${n}: ${failure}${output.trim() === '' ? ', no output' : `:\n${output.trim()}`}`);
    close();
    rmSync(prefix, { recursive: true, force: true });
  }
  const disk = statfsSync(tmpdir());
  throw new Error(
    `Wine could not make its prefix ${prefix} (${PREFIX_ATTEMPTS} attempts; free memory ${Math.round(freemem() / 2 ** 20)} MiB, ` +
      `free space in ${tmpdir()} ${Math.round((disk.bavail * disk.bsize) / 2 ** 20)} MiB):\n${failures.join('\n')}`,
  );
}

function readServerDir(prefix) {
  try {
    const name = readFileSync(join(prefix, 'wineserver'), 'utf8').trim();
    return /^wine-[A-Za-z0-9]{6}$/.test(name) ? name : undefined;
  } catch {
    return undefined;
  }
}
