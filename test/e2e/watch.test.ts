// `ordo watch` as a service runs it: cycles every interval, stops cleanly on SIGINT/SIGTERM with 130.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ordoAsync, waitExit, site, type Site } from '../helpers/cli.js';

let s: Site;
// Undefined before the first test's site().
afterEach(() => (s as Site | undefined)?.cleanup());

async function until(condition: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('ordo watch', () => {
  it('picks up files dropped between cycles, and SIGTERM ends it with 130', async () => {
    s = site();
    const child = ordoAsync(['watch', '--interval', '200ms'], { cwd: s.dir });
    const done = waitExit(child);
    writeFileSync(join(s.source, 'first.xml'), '1');
    await until(() => existsSync(join(s.target, 'first.xml')));
    writeFileSync(join(s.source, 'second.xml'), '2');
    await until(() => existsSync(join(s.target, 'second.xml')));
    child.kill('SIGTERM');
    const result = await done;
    expect(result.code).toBe(130);
    expect(readFileSync(join(s.target, 'second.xml'), 'utf8')).toBe('2');
  });

  it('SIGINT during a send: the file in progress is finished, nothing new is started, exit 130', async () => {
    s = site();
    const big = join(s.source, 'a-big.bin');
    const handle = await open(big, 'w');
    for (let i = 0; i < 48; i++) await handle.write(Buffer.alloc(4 * 1024 * 1024, i));
    await handle.close();
    writeFileSync(join(s.source, 'b-next.xml'), 'next');
    const child = ordoAsync(['watch', '--interval', '1s'], { cwd: s.dir });
    const done = waitExit(child);
    await until(() => existsSync(join(s.target, '.ordo-part')) && readdirSync(join(s.target, '.ordo-part')).length > 0, 30_000);
    child.kill('SIGINT');
    const result = await done;
    expect(result.code).toBe(130);
    const delivered = readdirSync(s.target).filter((n) => !n.startsWith('.'));
    expect(delivered).toEqual(['a-big.bin']);
    // The next file was not started: it is still in the source folder, nothing lost.
    expect(readdirSync(s.source)).toEqual(['b-next.xml']);
  });
});
