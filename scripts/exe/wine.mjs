// The Windows blob with a V8 code cache, which starts ordo.exe about a third faster: a code cache is only
// valid for the platform that made it, so the Windows node.exe makes it, run by Wine (Debian's wine64)
// in a Wine prefix of the build cache. Without Wine (or with ORDO_EXE_WINE=0), ordo.exe has no code cache.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const LOADERS = ['/usr/lib/wine/wine64', '/usr/bin/wine64', '/usr/bin/wine'];

/** The Wine loader to make the Windows code cache with, or undefined. */
export function wineLoader() {
  if (process.env.ORDO_EXE_WINE === '0' || process.platform !== 'linux') return undefined;
  return LOADERS.find((path) => existsSync(path));
}

/** Runs `node.exe --experimental-sea-config <config>` under Wine, in `cwd`. Throws with its output when it fails. */
export function seaBlobUnderWine(loader, prefix, nodeExe, config, cwd) {
  const env = { ...process.env, WINEPREFIX: prefix, WINEDEBUG: '-all', WINEDLLOVERRIDES: 'mscoree,mshtml=' };
  const run = (args) => {
    const result = spawnSync(loader, args, { cwd, env, encoding: 'utf8', timeout: 300_000 });
    if (result.status !== 0) throw new Error(`wine ${args.join(' ')} failed (exit ${result.status ?? result.signal}):\n${result.stdout}${result.stderr}`);
  };
  if (!existsSync(join(prefix, 'system.reg'))) {
    mkdirSync(prefix, { recursive: true });
    // Node 22 refuses to start on the Windows version a new prefix reports (7).
    run(['reg', 'add', 'HKCU\\Software\\Wine', '/v', 'Version', '/t', 'REG_SZ', '/d', 'win10', '/f']);
  }
  try {
    run([nodeExe, '--experimental-sea-config', config]);
  } finally {
    spawnSync(join(loader, '..', 'wineserver'), ['-k'], { env });
  }
}
