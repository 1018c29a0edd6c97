// Spawning bin/ordo the way a .bat file or a cron job would: no TTY, no stdin, a clean environment.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ORDO = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'ordo.js');

export interface CliResult {
  code: number | null;
  /** The signal that ended the process (null when it exited by itself). */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * ordo's own default language is French; the tests read English unless they say otherwise: ORDO_LANG=en,
 * except when the caller sets the language itself (ORDO_LANG, or the locale: LANG, LC_ALL, LC_MESSAGES).
 */
export function baseEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const callerChoosesLang = ['ORDO_LANG', 'LANG', 'LC_ALL', 'LC_MESSAGES'].some((name) => name in extra);
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8', NO_COLOR: '1', ...(callerChoosesLang ? {} : { ORDO_LANG: 'en' }), ...extra };
  return env;
}

export function ordo(args: string[], options: { cwd: string; env?: Record<string, string>; input?: string }): CliResult {
  const result = spawnSync(process.execPath, [ORDO, ...args], {
    cwd: options.cwd,
    env: baseEnv(options.env),
    input: options.input ?? '',
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

export function ordoAsync(args: string[], options: { cwd: string; env?: Record<string, string> }): ChildProcess {
  return spawn(process.execPath, [ORDO, ...args], { cwd: options.cwd, env: baseEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'] });
}

export function waitExit(child: ChildProcess): Promise<CliResult> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

export interface Site {
  dir: string;
  source: string;
  target: string;
  inbox: string;
  root: string;
  writeConfig(config: unknown): void;
  cleanup(): void;
}

/** A temporary site with the usual folders and an `ordo.config.json` using the local protocol. */
export function site(scenarioOverrides: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): Site {
  const dir = mkdtempSync(join(tmpdir(), 'ordo-e2e-'));
  const s: Site = {
    dir,
    source: join(dir, 'export'),
    target: join(dir, 'partner', 'in'),
    inbox: join(dir, 'partner', 'out'),
    root: join(dir, 'ordo-data'),
    writeConfig(config) {
      writeFileSync(join(dir, 'ordo.config.json'), JSON.stringify(config, null, 2));
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
  for (const d of [s.source, s.target, s.inbox]) mkdirSync(d, { recursive: true });
  s.writeConfig({
    root: './ordo-data',
    profiles: { VILLE: { label: 'Ville de Saint-Exemple' } },
    scenarios: {
      PES: {
        profile: 'VILLE',
        protocol: 'local',
        source: './export',
        settle: '0s',
        retries: { attempts: 1, backoff: '10ms' },
        options: { target: './partner/in', inbox: './partner/out' },
        ...scenarioOverrides,
      },
    },
    ...extra,
  });
  return s;
}

/**
 * The command prefix that runs a program without the capabilities by which root reads any file
 * (util-linux setpriv), so that a mode-000 file is really unreadable to it; nothing for other users.
 */
export function withoutPermissionBypass(): string[] {
  if (process.getuid?.() !== 0) return [];
  return ['setpriv', '--bounding-set=-dac_override,-dac_read_search', '--inh-caps=-dac_override,-dac_read_search'];
}
