// The engine through bin/ordo, as integrators' scripts call it: exit codes, --json, files, logs.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ordo, ordoAsync, waitExit, site, type Site } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';

let s: Site | undefined;
afterEach(() => s?.cleanup());

describe('ordo run / send / scan / retrieve (local protocol)', () => {
  it('nothing to do: exit 0', () => {
    s = site();
    const r = ordo(['run', '--json'], { cwd: s.dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).files).toEqual([]);
  });

  it('one good and one rejected file: exit 1, the good one sent, the other in failed/ with its reason', () => {
    s = site();
    writeFileSync(join(s.source, 'good.xml'), 'good');
    writeFileSync(join(s.source, 'clash.xml'), 'mine');
    writeFileSync(join(s.target, 'clash.xml'), 'theirs');
    const r = ordo(['run', '--json'], { cwd: s.dir });
    expect(r.code).toBe(1);
    const result = JSON.parse(r.stdout) as { files: Array<{ name: string; status: string; reason?: string }> };
    expect(result.files.map((f) => [f.name, f.status]).sort()).toEqual([
      ['clash.xml', 'failed'],
      ['good.xml', 'sent'],
    ]);
    expect(readFileSync(join(s.target, 'good.xml'), 'utf8')).toBe('good');
    expect(readFileSync(join(s.target, 'clash.xml'), 'utf8')).toBe('theirs');
    expect(readdirSync(join(s.root, 'failed', 'PES'))).toHaveLength(1);
    expect(readFileSync(join(s.root, 'logs', 'last.log'), 'utf8')).toMatch(/clash\.xml/);
  });

  it('scan prints one ready path per line when piped', () => {
    s = site();
    writeFileSync(join(s.source, 'b (2).xml'), 'b');
    writeFileSync(join(s.source, 'a [1].xml'), 'a');
    writeFileSync(join(s.source, 'c.tmp'), 'c');
    const r = ordo(['scan'], { cwd: s.dir });
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual([join(s.source, 'a [1].xml'), join(s.source, 'b (2).xml')]);
  });

  it('send reads paths from stdin with -', () => {
    s = site({ source: undefined });
    const file = join(s.dir, 'one-off.xml');
    writeFileSync(file, 'urgent');
    const r = ordo(['send', '--scenario', 'PES', '-', '--no-retrieve'], { cwd: s.dir, input: `${file}\n` });
    expect(r.code).toBe(0);
    expect(readFileSync(join(s.target, 'one-off.xml'), 'utf8')).toBe('urgent');
  });

  it('a second concurrent run gets exit 5 and names the holder', async () => {
    // The first run's before-hook holds it (and its lock) until the test drops the release file: no
    // guess at how long the second run needs.
    const release = 'release-the-hook';
    s = site({ hooks: { before: `node -e "const fs=require('fs');const t=setInterval(()=>{if(fs.existsSync('${release}'))clearInterval(t)},10)"` } });
    writeFileSync(join(s.source, 'a.xml'), 'a');
    const first = ordoAsync(['run'], { cwd: s.dir });
    let exited = false;
    const firstDone = waitExit(first).finally(() => (exited = true));
    try {
      const lock = join(s.root, 'locks', 'scenario-PES.lock');
      await waitFor(() => existsSync(lock), { what: 'the first run holding scenario-PES.lock', gaveUp: () => (exited ? 'the first run exited' : undefined) });
      const second = ordo(['run'], { cwd: s.dir });
      expect(second.code).toBe(5);
      expect(second.stderr).toMatch(new RegExp(`${first.pid}`));
      expect(exited, 'the first run still holds the lock').toBe(false);
    } finally {
      writeFileSync(join(s.dir, release), '');
      await firstDone;
    }
    expect((await firstDone).code).toBe(0);
    expect(readdirSync(s.target).filter((n) => n !== '.ordo-part')).toEqual(['a.xml']);
  });

  it('hook output goes to the log with secrets masked', () => {
    s = site({ hooks: { before: 'node -e "console.log(\'vpn up with ${VPN_PASSWORD}\')"' } });
    writeFileSync(join(s.source, 'a.xml'), 'a');
    const r = ordo(['run', '-v'], { cwd: s.dir, env: { VPN_PASSWORD: 's3cret-vpn-pw' } });
    expect(r.code).toBe(0);
    const log = readFileSync(join(s.root, 'logs', 'last.log'), 'utf8');
    expect(log).toContain('vpn up with XXXXXXXX');
    for (const text of [log, r.stdout, r.stderr]) expect(text).not.toContain('s3cret-vpn-pw');
  });

  it('retrieve brings the waiting files into recus/<profile>/', () => {
    s = site();
    writeFileSync(join(s.inbox, 'ACQUIT_1.xml'), 'ack');
    const r = ordo(['retrieve', '--json'], { cwd: s.dir });
    expect(r.code).toBe(0);
    const names = readdirSync(join(s.root, 'recus', 'VILLE'));
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(/^ACQUIT_1_\d{8}_\d{6}\.xml$/);
  });
});

describe('killed in the middle of a large send', () => {
  it('the next run delivers the file exactly once, complete, and the backup exists', async () => {
    s = site();
    const big = join(s.source, 'gros-fichier.bin');
    const handle = await open(big, 'w');
    const chunk = Buffer.alloc(4 * 1024 * 1024);
    for (let i = 0; i < 64; i++) {
      chunk.fill(i % 251);
      await handle.write(chunk);
    }
    await handle.close();
    const expected = await sha256(big);
    const child = ordoAsync(['run'], { cwd: s.dir });
    const done = waitExit(child);
    // Kill as soon as the data is flowing into the temporary name at the partner.
    let killed = false;
    for (let i = 0; i < 2000 && !killed; i++) {
      if (existsSync(join(s.target, '.ordo-part')) && readdirSync(join(s.target, '.ordo-part')).length > 0) {
        child.kill('SIGKILL');
        killed = true;
      } else await new Promise((r) => setTimeout(r, 2));
    }
    await done;
    expect(killed).toBe(true);
    expect(existsSync(join(s.target, 'gros-fichier.bin'))).toBe(false);

    const again = ordo(['run', '--json'], { cwd: s.dir });
    expect(again.code).toBe(0);
    expect(readdirSync(s.target).filter((n) => !n.startsWith('.'))).toEqual(['gros-fichier.bin']);
    expect(await sha256(join(s.target, 'gros-fichier.bin'))).toBe(expected);
    expect(await sha256(join(s.root, 'backup', 'PES', 'gros-fichier.bin'))).toBe(expected);
    expect(readdirSync(s.source)).toEqual([]);
    const third = ordo(['run', '--json'], { cwd: s.dir });
    expect(JSON.parse(third.stdout).files).toEqual([]);
  });
});

async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
