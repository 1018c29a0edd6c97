// Where a scenario's sends are written down. Each file's attempt ends here, whichever way it ends — and
// so does the partner's later word on a pending send (follow.ts): its journal line, its log line, its
// `file-end` event and its outcome, in that order, so that no ending can forget one of them.
import type { ScenarioConfig } from '../config/model.js';
import type { Params } from '../i18n/index.js';
import { spoolPaths } from '../shared/paths.js';
import type { EngineContext, LogLevel } from './context.js';
import { Journal, type JournalEntry } from './journal.js';
import { located } from './local-failure.js';
import type { Outcomes } from './outcome.js';
import type { FileOutcome, FileStatus } from './results.js';

/** A send's journal line, without what the ledger fills in (time, run, scenario, direction, file). */
export type SendLine = Omit<JournalEntry, 'time' | 'run' | 'scenario' | 'direction' | 'file'>;

export interface LogLine {
  level: LogLevel;
  key: string;
  /** Beyond `scenario` and `file`, which every line of a file gets. */
  params?: Params;
}

/** How one file's attempt ended. */
export interface Settlement {
  status: FileStatus;
  /** The outcome's fields beyond scenario, direction, name and status. */
  outcome?: Partial<FileOutcome>;
  /** Written and flushed before anything else is said about the file; none for a dry-run. */
  line?: SendLine;
  /** The line is about a failing local disk, the journal's own perhaps: one that cannot be written is let go. */
  lineBestEffort?: boolean;
  log?: LogLine;
}

export class SendLedger {
  private readonly journal: Journal;

  constructor(
    private readonly ctx: EngineContext,
    private readonly scenario: ScenarioConfig,
    private readonly outcomes: Outcomes,
  ) {
    this.journal = new Journal(ctx.config.root, ctx.runId);
  }

  /** A journal line that does not end the file's attempt (sending, resumed, forced). The index sees it at once. */
  async record(file: string, line: SendLine): Promise<void> {
    try {
      const { state, ...rest } = line;
      await this.journal.append({ scenario: this.scenario.name, direction: 'send', state, file, ...rest });
    } catch (error) {
      throw located(error, spoolPaths(this.ctx.config).journal);
    }
  }

  /** Ends the file's attempt: journal, log, `file-end`, outcome. */
  async settle(file: string, settlement: Settlement): Promise<FileOutcome> {
    const { ctx, scenario } = this;
    const { status, line, log } = settlement;
    if (line !== undefined) {
      const written = this.record(file, line);
      await (settlement.lineBestEffort === true ? written.catch(() => undefined) : written);
    }
    if (log !== undefined) ctx.log.log(log.level, log.key, { scenario: scenario.name, file, ...log.params });
    ctx.onEvent({ type: 'file-end', scenario: scenario.name, direction: 'send', name: file, status });
    return this.outcomes.add({ scenario: scenario.name, direction: 'send', name: file, status, ...settlement.outcome });
  }

  async close(): Promise<void> {
    await this.journal.close();
  }
}
