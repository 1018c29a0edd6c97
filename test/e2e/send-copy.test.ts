// `ordo send <file> --scenario S`: a file in the scenario's source folder is claimed (moved into the
// queue), one set aside in its failed/ folder is moved back, any other is copied and its original stays.
import { createServer, type Server } from 'node:http';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ordo, ordoAsync, site, waitExit, type Site } from '../helpers/cli.js';

let s: Site | undefined;
let server: Server | undefined;
afterEach(async () => {
  s?.cleanup();
  await new Promise((done) => (server ? server.close(done) : done(undefined)));
  server = undefined;
});

/** The queue items of a scenario (hidden temporaries excluded). */
function queued(root: string, scenario = 'PES'): string[] {
  const base = join(root, 'queue', scenario);
  return existsSync(base) ? readdirSync(base).filter((id) => !id.startsWith('.')) : [];
}

describe('send <file> --scenario S', () => {
  it('a file outside the source folder is copied: the original stays, and the output says so', () => {
    s = site();
    mkdirSync(join(s.dir, 'elsewhere'));
    const original = join(s.dir, 'elsewhere', 'urgent.xml');
    writeFileSync(original, 'one-off');
    const r = ordo(['send', '--scenario', 'PES', original, '--lang', 'en'], { cwd: s.dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`✔ PES: urgent.xml sent (7 B) (copied into the queue; the original stays in ${original})`);
    expect(readFileSync(original, 'utf8')).toBe('one-off');
    expect(readFileSync(join(s.target, 'urgent.xml'), 'utf8')).toBe('one-off');
    expect(queued(s.root)).toEqual([]);
    expect(ordo(['send', '--scenario', 'PES', original, '--lang', 'fr'], { cwd: s.dir }).stderr).toContain(`(copié dans la file d’attente\u00a0; l’original reste dans ${original})`);
  });

  it('--json names where the original stays', () => {
    s = site();
    const original = join(s.dir, 'one-off.xml');
    writeFileSync(original, 'x');
    const r = ordo(['send', '--scenario', 'PES', original, '--json'], { cwd: s.dir });
    expect(JSON.parse(r.stdout).files).toEqual([expect.objectContaining({ name: 'one-off.xml', status: 'sent', original })]);
  });

  it('a file in the source folder is claimed as before: it leaves the folder, no copy note', () => {
    s = site();
    const file = join(s.source, 'mandat.xml');
    writeFileSync(file, 'm');
    const r = ordo(['send', '--scenario', 'PES', file, '--lang', 'en'], { cwd: s.dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^✔ PES: mandat\.xml sent \(1 B\)$/m);
    expect(existsSync(file)).toBe(false);
  });

  it('the same file given twice is sent once: the second time it is already sent, the original still stays', () => {
    s = site();
    const original = join(s.dir, 'twice.xml');
    writeFileSync(original, 'same content');
    expect(ordo(['send', '--scenario', 'PES', original], { cwd: s.dir }).code).toBe(0);
    const again = ordo(['send', '--scenario', 'PES', original, '--lang', 'en'], { cwd: s.dir });
    expect(again.stderr).toMatch(/^⚠ PES: twice\.xml not sent: .*same content/m);
    expect(readdirSync(s.target)).toEqual(['twice.xml']);
    expect(readFileSync(original, 'utf8')).toBe('same content');
    expect(queued(s.root)).toEqual([]);
  });

  it('given again while its first copy still waits in the queue: one queued copy, sent once', async () => {
    // A partner that answers 503 (busy: the file is deferred, the scenario goes on) until it is told to accept.
    let accept = false;
    const received: string[] = [];
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        if (!accept) {
          response.writeHead(503).end();
          return;
        }
        received.push(body);
        response.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((done) => server?.listen(0, '127.0.0.1', done));
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    s = site({ protocol: 'http', options: {} }, { profiles: { VILLE: { label: 'Ville', http: { urls: { default: `http://127.0.0.1:${port}/depot` }, body: 'raw' } } } });
    const original = join(s.dir, 'retry.xml');
    writeFileSync(original, 'payload');
    // The server lives in this process: the CLI runs asynchronously so that it can answer.
    const send = async () => waitExit(ordoAsync(['send', '--scenario', 'PES', original, '--lang', 'en'], { cwd: s!.dir }));
    const first = await send();
    expect(first.stderr).toMatch(/^⚠ PES: retry\.xml not sent: /m);
    const second = await send();
    expect(second.stderr).toMatch(/^⚠ PES: retry\.xml not sent: /m);
    expect(queued(s.root)).toHaveLength(1);
    expect(readFileSync(join(s.root, 'logs', 'last.log'), 'utf8')).toMatch(/retry\.xml \(.*\) is already queued with the same content/);
    accept = true;
    const third = await waitExit(ordoAsync(['run', '--lang', 'en'], { cwd: s.dir }));
    expect(third.code).toBe(0);
    expect(received).toEqual(['payload']);
    expect(queued(s.root)).toEqual([]);
    expect(readFileSync(original, 'utf8')).toBe('payload');
  });

  it('a file this scenario set aside in failed/ is moved back into the queue, not copied', () => {
    s = site();
    writeFileSync(join(s.source, 'clash.xml'), 'mine');
    writeFileSync(join(s.target, 'clash.xml'), 'theirs');
    expect(ordo(['run'], { cwd: s.dir }).code).toBe(1);
    const [id] = readdirSync(join(s.root, 'failed', 'PES'));
    const setAside = join(s.root, 'failed', 'PES', id!, 'clash.xml');
    expect(readFileSync(setAside, 'utf8')).toBe('mine');
    rmSync(join(s.target, 'clash.xml'));
    const r = ordo(['send', '--scenario', 'PES', '--force', setAside, '--lang', 'en'], { cwd: s.dir });
    expect(r.stdout).not.toContain('copied');
    expect(r.code).toBe(0);
    expect(existsSync(setAside)).toBe(false);
    expect(readFileSync(join(s.target, 'clash.xml'), 'utf8')).toBe('mine');
  });

  it('a given file that cannot be read is not sent, nothing is queued, and the output does not call it refused', () => {
    s = site();
    const missing = join(s.dir, 'absent.xml');
    const r = ordo(['send', '--scenario', 'PES', missing, '--lang', 'en'], { cwd: s.dir });
    expect(r.code).toBe(1);
    expect(r.stdout).not.toContain('absent.xml');
    expect(r.stderr).toMatch(/^✖ PES: absent\.xml not sent: cannot read .*absent\.xml \(ENOENT\)$/m);
    expect(r.stderr).not.toMatch(/refused|set aside/);
    expect(queued(s.root)).toEqual([]);
  });
});
