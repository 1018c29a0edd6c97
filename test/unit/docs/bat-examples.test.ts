// Every Windows batch example in the docs and in `--help` must behave under Task Scheduler:
// - each `ordo` / `ordo.cmd` line is preceded by `call` (without it, control never comes back from
//   npm's `ordo.cmd` launcher and the rest of the script is skipped);
// - a script that runs a command and then other ordo commands (typically `diagnose`) ends with the
//   first command's exit code, not with the last command's. Checked by running the script through a
//   tiny interpreter of the batch subset the docs use, for every exit code of the run.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

function markdownFiles(): string[] {
  const out = [join(ROOT, 'README.md')];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.md')) out.push(path);
    }
  };
  walk(join(ROOT, 'docs'));
  return out;
}

interface Block {
  where: string;
  lines: string[];
}

function batBlocks(): Block[] {
  const blocks: Block[] = [];
  for (const file of markdownFiles()) {
    const lines = readFileSync(file, 'utf8').split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) {
      const open = /^\s*(`{3,}|~{3,})\s*(\w+)?/.exec(lines[i] ?? '');
      if (!open) continue;
      const fence = open[1] ?? '```';
      const lang = (open[2] ?? '').toLowerCase();
      let j = i + 1;
      while (j < lines.length && !(lines[j] ?? '').trim().startsWith(fence)) j++;
      if (['bat', 'batch', 'cmd'].includes(lang)) {
        blocks.push({ where: `${relative(ROOT, file)}:${i + 1}`, lines: lines.slice(i + 1, j) });
      }
      i = j;
    }
  }
  return blocks;
}

const COMMENT = /^\s*@?(rem(\s|$)|::|echo(\s|\.|$))/i;
/** An `ordo` or `ordo.cmd` used as a command on this line. */
const ORDO = /(^|[\s&|(@])(ordo(?:\.cmd)?)(?=\s|$)/gi;

/** Lines that run ordo without `call` before it. */
function uncalled(lines: string[]): string[] {
  const bad: string[] = [];
  for (const line of lines) {
    if (COMMENT.test(line)) continue;
    for (const match of line.matchAll(ORDO)) {
      const before = line.slice(0, match.index + (match[1] ?? '').length);
      if (!/(^|[\s&|(])call\s+$/i.test(before)) bad.push(line.trim());
    }
  }
  return bad;
}

interface Outcome {
  exit: number;
  explicit: boolean;
}

/**
 * Runs a batch script: the first ordo command ends with `runCode`, every later ordo command with
 * `laterCode`. Returns the script's exit code (the last ERRORLEVEL when it falls off the end).
 */
function simulate(lines: string[], runCode: number, laterCode: number): Outcome {
  const labels = new Map<string, number>();
  lines.forEach((line, index) => {
    const label = /^\s*:(\w+)/.exec(line);
    if (label?.[1]) labels.set(label[1].toLowerCase(), index);
  });
  const vars = new Map<string, string>();
  let errorlevel = 0;
  let ordoRuns = 0;
  const expand = (text: string): string =>
    text.replace(/%(\w+)%/g, (_, name: string) =>
      name.toLowerCase() === 'errorlevel' ? String(errorlevel) : (vars.get(name.toLowerCase()) ?? ''),
    );
  const jump = (label: string): number => {
    const at = labels.get(label.toLowerCase().replace(/^:/, ''));
    if (at === undefined) throw new Error(`goto ${label}: no such label`);
    return at;
  };
  let pc = 0;
  for (let steps = 0; pc < lines.length; steps++) {
    if (steps > 10_000) throw new Error('the script loops');
    const line = (lines[pc] ?? '').trim();
    pc++;
    if (line === '' || /^:/.test(line) || COMMENT.test(line)) continue;
    let statement = line;
    const cond = /^if\s+(not\s+)?errorlevel\s+(\d+)\s+(.*)$/i.exec(statement);
    if (cond) {
      const holds = errorlevel >= Number(cond[2]);
      if (holds === Boolean(cond[1])) continue;
      statement = cond[3] ?? '';
    }
    const go = /^goto\s+:?(\w+)$/i.exec(statement);
    if (go?.[1]) {
      if (go[1].toLowerCase() === 'eof') return { exit: errorlevel, explicit: false };
      pc = jump(go[1]) + 1;
      continue;
    }
    const exit = /^exit\s+\/b(?:\s+(\S+))?$/i.exec(statement);
    if (exit) return { exit: exit[1] === undefined ? errorlevel : Number(expand(exit[1])), explicit: true };
    const set = /^set\s+"?(\w+)=([^"]*)"?$/i.exec(statement);
    if (set?.[1]) {
      vars.set(set[1].toLowerCase(), expand(set[2] ?? ''));
      continue;
    }
    if (/^call\s+ordo(\.cmd)?\s/i.test(statement)) {
      errorlevel = ordoRuns++ === 0 ? runCode : laterCode;
      continue;
    }
    throw new Error(`line not understood by the test's interpreter: ${line}`);
  }
  return { exit: errorlevel, explicit: false };
}

/** The ordo commands a script runs, in order of appearance. */
function ordoCommands(lines: string[]): string[] {
  return lines
    .filter((line) => !COMMENT.test(line))
    .flatMap((line) => [...line.matchAll(/\bordo(?:\.cmd)?\s+([a-z-]+)/gi)].map((m) => m[1] ?? ''));
}

const CODES = [0, 1, 2, 3, 4, 5, 6, 130];

describe('Windows batch examples in README.md and docs/', () => {
  const blocks = batBlocks();

  it('finds the examples', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    expect(blocks.map((b) => b.where).some((w) => w.startsWith('README.md'))).toBe(true);
  });

  for (const block of blocks) {
    describe(block.where, () => {
      it('uses `call` before every ordo command', () => {
        expect(uncalled(block.lines)).toEqual([]);
      });

      const commands = ordoCommands(block.lines);
      if (commands.length > 1) {
        it(`ends with the exit code of \`ordo ${commands[0]}\`, whatever the later commands return`, () => {
          for (const code of CODES) {
            for (const later of [0, 1, 6]) {
              const outcome = simulate(block.lines, code, later);
              expect({ run: code, later, ...outcome }).toEqual({ run: code, later, exit: code, explicit: true });
            }
          }
        });

        it('saves the run code right after the run and exits with it', () => {
          const body = block.lines.map((l) => l.trim()).filter((l) => l !== '' && !/^@?rem\s/i.test(l));
          const run = body.findIndex((l) => /^call\s+ordo/i.test(l));
          const saved = /^set\s+"?(\w+)=%errorlevel%"?$/i.exec(body[run + 1] ?? '');
          expect(saved, `line after "${body[run] ?? ''}"`).not.toBeNull();
          const last = body[body.length - 1] ?? '';
          expect(last.toLowerCase()).toBe(`exit /b %${(saved?.[1] ?? '').toLowerCase()}%`);
        });
      }
    });
  }
});

describe('Windows batch lines in --help examples', () => {
  const source = readFileSync(join(ROOT, 'src', 'commands', 'help.ts'), 'utf8');
  const literals = source
    .split('\n')
    .flatMap((line) => [...line.matchAll(/`([^`]*)`|'([^']*)'/g)].map((m) => m[1] ?? m[2] ?? ''))
    .filter((literal) => literal.includes('ordo.cmd'));

  it('finds them', () => {
    expect(literals.length).toBeGreaterThan(5);
  });

  it('uses `call` before every ordo.cmd', () => {
    expect(uncalled(literals)).toEqual([]);
  });
});
