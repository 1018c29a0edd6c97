// docs/protocols/adding-a-protocol.md walks through the `local` protocol with excerpts of its files: each
// excerpt must still be in the file it names, line for line and in order, so the walkthrough cannot drift
// from the code. The files the page lists in the protocol's folder must exist too.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const project = new URL('../../../', import.meta.url);
const page = readFileSync(new URL('docs/protocols/adding-a-protocol.md', project), 'utf8');

interface Excerpt {
  file: string;
  lines: string[];
}

function excerpts(text: string): Excerpt[] {
  const found: Excerpt[] = [];
  const pattern = /<!-- excerpt: (\S+) -->\n```ts\n([\s\S]*?)\n```/g;
  for (const match of text.matchAll(pattern)) {
    found.push({ file: match[1] ?? '', lines: (match[2] ?? '').split('\n').filter((line) => line.trim() !== '') });
  }
  return found;
}

/** Index of each excerpt line in the source, in order; -1 for the first line that is not there. */
function missingLine(source: string[], lines: string[]): string | undefined {
  let at = 0;
  for (const line of lines) {
    const index = source.indexOf(line, at);
    if (index === -1) return line;
    at = index + 1;
  }
  return undefined;
}

describe('docs/protocols/adding-a-protocol.md', () => {
  const all = excerpts(page);

  it('has excerpts of every file it walks through', () => {
    expect(new Set(all.map((excerpt) => excerpt.file))).toEqual(
      new Set(['src/protocols/local/options.ts', 'src/protocols/local/settings.ts', 'src/protocols/local/protocol.ts', 'src/protocols/registry.ts', 'test/contract/local.test.ts']),
    );
  });

  it.each(all.map((excerpt, index) => [index + 1, excerpt.file, excerpt] as const))('excerpt %i (%s) is in its file, line for line', (_n, file, excerpt) => {
    const source = readFileSync(new URL(file, project), 'utf8').split('\n');
    expect(missingLine(source, excerpt.lines)).toBeUndefined();
  });

  it('lists files that exist in the protocol folder', () => {
    const listed = [...page.matchAll(/^ {2}([a-z-]+\.ts) {2,}/gm)].map((match) => match[1] ?? '');
    expect(listed.length).toBeGreaterThanOrEqual(4);
    for (const file of listed) expect(existsSync(new URL(`src/protocols/local/${file}`, project)), file).toBe(true);
  });
});
