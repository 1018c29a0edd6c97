// What a command module gets: the merged options, the reporter, the configuration loader, and an
// engine opened with the interruption signal and the progress display, closed whatever happens.
import type { PartnerSecrets } from '../config/expand.js';
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

  /**
   * Loads the configuration (--config, $ORDO_CONFIG, or searched upward); throws ConfigError.
   * `needs` is the command's declaration: 'partners' (the default) for the commands that connect to a
   * partner, or prepare or check what will (run, send, retrieve, watch, tedeco-request, diagnose, scan,
   * config check): a variable a partner's setting uses and that is not set stops them (exit 3). 'local'
   * for those that never do (logs show, logs purge, config show, rename): partners' secrets not needed.
   */
  async loadConfig(needs: 'partners' | 'local' = 'partners'): Promise<OrdoConfig> {
    const { loadConfig } = await import('../config/load.js');
    const partnerSecrets: PartnerSecrets = needs === 'partners' ? 'required' : 'optional';
    const config = await loadConfig({
      ...(this.options.config === undefined ? {} : { config: this.options.config }),
      cwd: this.io.cwd,
      env: this.io.env,
      partnerSecrets,
    });
    registerSecrets(config.secrets);
    // --lang wins; else the configuration's language (src/cli.ts peeked at it already: this also covers a
    // `lang` written as an environment reference); else the one chosen at start (./language.ts).
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
