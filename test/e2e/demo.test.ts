// `npm run demo` (scripts/demo.js): it speaks the language ordo would (French when nothing says
// otherwise), and removes its temporary folder however it ends, unless ORDO_DEMO_KEEP=1.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { baseEnv, waitExit } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';

const DEMO = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'scripts', 'demo.js');

function folderOf(stdout: string): string {
  const folder = /(?:Demo folder|Dossier de la démonstration)\u00a0?: ([^\s\u001b]+)/.exec(stdout)?.[1];
  if (folder === undefined) throw new Error(`no demo folder in:\n${stdout}`);
  return folder;
}

describe('npm run demo', () => {
  it('runs in French without LANG, every step succeeds, and its folder is gone at the end', () => {
    const r = spawnSync(process.execPath, [DEMO], { env: baseEnv({ LANG: '' }), encoding: 'utf8', timeout: 180_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('Un passage complet\u00a0:');
    expect(r.stdout).toContain('(code de sortie 0)');
    expect(r.stdout).not.toContain('exit code');
    const folder = folderOf(r.stdout);
    expect(r.stdout).toContain(`Dossier de la démonstration ${folder} supprimé`);
    expect(existsSync(folder)).toBe(false);
  });

  it('interrupted (Ctrl-C): the folder is removed too; ORDO_DEMO_KEEP=1 keeps it and says where', async () => {
    for (const keep of [false, true]) {
      const child = spawn(process.execPath, [DEMO], {
        env: baseEnv(keep ? { ORDO_DEMO_KEEP: '1' } : {}),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      const ended = waitExit(child);
      await waitFor(() => /^\$ ordo scan$/m.test(stdout), { what: 'the demo’s first command' });
      child.kill('SIGINT');
      const result = await ended;
      const folder = folderOf(stdout + result.stdout);
      try {
        expect(result.code).toBe(130);
        expect(existsSync(folder)).toBe(keep);
        if (keep) expect(stdout + result.stdout).toContain(`Demo folder kept (ORDO_DEMO_KEEP=1): ${folder}`);
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    }
  });
});
