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
  /** Written (and flushed, unless `flushLater`) before anything else is said about the file; none for a dry-run. */
  line?: SendLine;
  /**
   * The line is flushed with the next one that is flushed (the next file's `sending` line), or when the
   * ledger closes: a batch of small files pays one flush per file instead of two. Only for a line whose
   * loss in a power cut the next run repairs by asking the partner (`verify`); what must wait for the
   * line to be on disk is given to afterFlush().
   */
  flushLater?: boolean;
  /** The line is about a failing local disk, the journal's own perhaps: one that cannot be written is let go. */
  lineBestEffort?: boolean;
  log?: LogLine;
}

export class SendLedger {
  private readonly journal: Journal;
  /** What waits for lines written with `flushLater` to be on disk (removing their queue items). */
  private afterFlushing: Array<() => Promise<void>> = [];

  constructor(
    private readonly ctx: EngineContext,
    private readonly scenario: ScenarioConfig,
    private readonly outcomes: Outcomes,
  ) {
    this.journal = new Journal(ctx.config.root, ctx.runId);
  }

  /** A journal line that does not end the file's attempt (sending, resumed, forced). The index sees it at once. */
  async record(file: string, line: SendLine, flush: 'now' | 'later' = 'now'): Promise<void> {
    try {
      const { state, ...rest } = line;
      await this.journal.append({ scenario: this.scenario.name, direction: 'send', state, file, ...rest }, undefined, { flush: flush === 'now' });
    } catch (error) {
      throw located(error, spoolPaths(this.ctx.config).journal);
    }
    if (flush === 'now') await this.flushed();
  }

  /** Runs `action` once the lines written with `flushLater` so far are on disk (at once when there are none). */
  async afterFlush(action: () => Promise<void>): Promise<void> {
    this.afterFlushing.push(action);
    if (!this.journal.hasUnflushed()) await this.flushed();
  }

  /** Ends the file's attempt: journal, log, `file-end`, outcome. */
  async settle(file: string, settlement: Settlement): Promise<FileOutcome> {
    const { ctx, scenario } = this;
    const { status, line, log } = settlement;
    if (line !== undefined) {
      const written = this.record(file, line, settlement.flushLater === true ? 'later' : 'now');
      await (settlement.lineBestEffort === true ? written.catch(() => undefined) : written);
    }
    if (log !== undefined) ctx.log.log(log.level, log.key, { scenario: scenario.name, file, ...log.params });
    ctx.onEvent({ type: 'file-end', scenario: scenario.name, direction: 'send', name: file, status });
    return this.outcomes.add({ scenario: scenario.name, direction: 'send', name: file, status, ...settlement.outcome });
  }

  /** Flushes the lines written with `flushLater` (or `record(…, 'later')`), then runs what waited for them. */
  async flush(): Promise<void> {
    try {
      await this.journal.flush();
    } catch (error) {
      throw located(error, spoolPaths(this.ctx.config).journal);
    }
    await this.flushed();
  }

  /** Flushes what is left, runs what waited for it, closes the journal. When the flush fails, what waited is not done (the next run does it). */
  async close(): Promise<void> {
    try {
      await this.journal.flush();
      await this.flushed();
    } finally {
      await this.journal.close();
    }
  }

  private async flushed(): Promise<void> {
    const actions = this.afterFlushing;
    this.afterFlushing = [];
    for (const action of actions) await action();
  }
}
