// A temporary site for a test: folders on disk, an OrdoConfig built directly, and an engine context.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OrdoConfig, ScenarioConfig } from '../../src/config/model.js';
import type { EngineEvent } from '../../src/core/context.js';
import { openEngine, type Engine } from '../../src/core/session.js';

export interface Workspace {
  dir: string;
  root: string;
  source: string;
  target: string;
  inbox: string;
  config: OrdoConfig;
  events: EngineEvent[];
  engine(options?: { dryRun?: boolean; force?: boolean; signal?: AbortSignal; now?: () => Date }): Engine;
  write(folder: string, name: string, content: string | Buffer): string;
  cleanup(): void;
}

export function scenario(name: string, dir: string, overrides: Partial<ScenarioConfig> = {}): ScenarioConfig {
  return {
    name,
    enabled: true,
    profile: 'VILLE',
    protocol: 'local',
    source: join(dir, 'source'),
    filter: ['*'],
    exclude: [],
    settleMs: 0,
    allowEmpty: false,
    backup: { dir: join(dir, 'data', 'backup', name), ifExists: 'rename' },
    delays: { sendMs: 0, retrieveMs: 0 },
    retries: { attempts: 2, backoffMs: 10, maxDelayMs: 50, maxTimeMs: 5_000 },
    retrieve: { enabled: true, afterSend: true, at: [] },
    hooks: { timeoutMs: 5_000 },
    options: { target: join(dir, 'partner', 'in'), inbox: join(dir, 'partner', 'out') },
    ...overrides,
  };
}

export function workspace(scenarios?: (dir: string) => ScenarioConfig[]): Workspace {
  const dir = mkdtempSync(join(tmpdir(), 'ordo-test-'));
  const root = join(dir, 'data');
  const source = join(dir, 'source');
  const target = join(dir, 'partner', 'in');
  const inbox = join(dir, 'partner', 'out');
  for (const d of [root, source, target, inbox]) mkdirSync(d, { recursive: true });
  const list = scenarios ? scenarios(dir) : [scenario('PES', dir)];
  const config: OrdoConfig = {
    file: join(dir, 'ordo.config.json'),
    dir,
    format: 'json',
    root,
    watch: { intervalMs: 60_000 },
    naming: { timestamp: false, rename: false, search: [] },
    counters: { kind: 'file', path: join(root, 'counters.json') },
    profiles: { VILLE: { name: 'VILLE', protocols: {} } },
    scenarios: Object.fromEntries(list.map((s) => [s.name, s])),
    secrets: [],
  };
  const events: EngineEvent[] = [];
  return {
    dir,
    root,
    source,
    target,
    inbox,
    config,
    events,
    engine: (options = {}) =>
      openEngine({
        config,
        command: 'test',
        dryRun: options.dryRun ?? false,
        force: options.force ?? false,
        signal: options.signal ?? new AbortController().signal,
        onEvent: (event) => events.push(event),
        ...(options.now ? { now: options.now } : {}),
      }),
    write(folder, name, content) {
      mkdirSync(folder, { recursive: true });
      const path = join(folder, name);
      writeFileSync(path, content);
      return path;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
