// What a command module gets: the merged options, the reporter, the configuration loader, and an
// engine opened with the interruption signal and the progress display, closed whatever happens.
import type { OrdoConfig } from '../config/model.js';
import type { Selection } from '../core/context.js';
import { registerSecrets } from '../shared/redact.js';
import { openEngine, type Engine } from '../core/session.js';
import { setLang, t } from '../i18n/index.js';
import type { Reporter } from '../output/reporter.js';
import { Interrupt } from './interrupt.js';
import type { GlobalOptions } from './options.js';

export interface Io {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export interface EngineSwitches {
  /** Default: --dry-run. */
  dryRun?: boolean;
  force?: boolean;
}

export class CommandContext {
  readonly options: GlobalOptions;
  readonly out: Reporter;
  readonly io: Io;
  readonly version: string;
  private readonly interrupt: Interrupt;

  constructor(options: GlobalOptions, out: Reporter, io: Io, version: string) {
    this.options = options;
    this.out = out;
    this.io = io;
    this.version = version;
    this.interrupt = new Interrupt(() => out.notice(t('cli.interrupting')));
  }

  selection(): Selection {
    return { scenarios: this.options.scenarios, profiles: this.options.profiles };
  }

  /** Loads the configuration (--config, $ORDO_CONFIG, or searched upward); throws ConfigError. */
  async loadConfig(): Promise<OrdoConfig> {
    const { loadConfig } = await import('../config/load.js');
    const config = await loadConfig({
      ...(this.options.config === undefined ? {} : { config: this.options.config }),
      cwd: this.io.cwd,
      env: this.io.env,
    });
    registerSecrets(config.secrets);
    // --lang wins; else the configuration's language; else the environment's (already applied).
    if (this.options.lang === undefined && config.lang !== undefined) setLang(config.lang);
    return config;
  }

  async withEngine<T>(config: OrdoConfig, command: string, switches: EngineSwitches, work: (engine: Engine) => Promise<T>): Promise<T> {
    const onEvent = await this.out.events();
    this.interrupt.install();
    const engine = openEngine({
      config,
      command,
      dryRun: switches.dryRun ?? this.options.dryRun,
      force: switches.force ?? false,
      signal: this.interrupt.signal,
      onEvent,
    });
    try {
      return await work(engine);
    } finally {
      await engine.close();
      this.interrupt.uninstall();
    }
  }

  dispose(): void {
    this.interrupt.uninstall();
  }
}
