// Where every result and error of a command ends up: human text (stdout for the result, stderr for
// problems; --quiet keeps errors only, on stderr) or one JSON document on stdout (--json).
import type { ChalkInstance } from 'chalk';
import type { EngineEvent } from '../core/context.js';
import type { ExitCodeValue } from '../shared/errors.js';
import type { CheckPesResult } from '../core/check-pes.js';
import type { LogText, PurgeResult } from '../core/logs.js';
import type { RenameResult } from '../core/rename.js';
import type { CycleResult, DiagnoseResult, ScanResult, WatchCycle } from '../core/results.js';
import { redact, redactDeep } from '../shared/redact.js';
import { escapeControls } from '../i18n/index.js';
import { describeError } from './describe-error.js';
import { renderCheckPes } from './human/check-pes.js';
import { renderConfigShow, renderConfigValid, type ConfigSummary } from './human/config.js';
import { renderCycle, renderWatchCycle, renderWatchEnd } from './human/cycle.js';
import { renderDiagnose } from './human/diagnose.js';
import { htmlReportDocument, renderHtmlReport, type HtmlReportResult } from './human/report.js';
import { renderError } from './human/error.js';
import { renderLogText, renderPurge } from './human/logs.js';
import { renderRename } from './human/rename.js';
import { renderScan, scanDocument } from './human/scan.js';
import { errorDocument, jsonPieces } from './json.js';
import type { Line } from './lines.js';
import { paintLine } from './paint.js';
import { createProgress, type Progress } from './progress.js';
import { colorEnabled, paletteFor } from './terminal.js';
import { setTimeStyle } from '../shared/local-time.js';

/** How much of a --json document is written at once (characters). */
const JSON_PART = 64 * 1024;
const OUTPUT_PART = 64 * 1024;

export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean | undefined;
  columns?: number | undefined;
}

export interface ReporterOptions {
  json: boolean;
  quiet: boolean;
  verbose: boolean;
  stdout: OutputStream;
  stderr: OutputStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export class Reporter {
  readonly options: ReporterOptions;
  private readonly outPalette: ChalkInstance;
  private readonly errPalette: ChalkInstance;
  private progress: Progress | undefined;

  constructor(options: ReporterOptions) {
    this.options = options;
    // Times in messages: local with the offset for people, ISO UTC inside a --json document.
    setTimeStyle(options.json ? 'utc' : 'local');
    this.outPalette = paletteFor(colorEnabled(options.stdout, options.env));
    this.errPalette = paletteFor(colorEnabled(options.stderr, options.env));
  }

  /** Engine events → spinner/progress (a TTY on stderr only, never with --json/--quiet) and -v log lines. */
  async events(): Promise<(event: EngineEvent) => void> {
    const { json, quiet, verbose, stderr, env } = this.options;
    // A pseudo-terminal without a size (some CI runners, `script`) has 0 columns: ora would loop
    // clearing lines forever there.
    const spinner = !json && !quiet && stderr.isTTY === true && env.TERM !== 'dumb' && (stderr.columns ?? 0) > 0;
    this.progress = await createProgress({
      spinner,
      verbose: verbose && !quiet,
      stderr: stderr as NodeJS.WritableStream,
      palette: this.errPalette,
    });
    const progress = this.progress;
    return (event) => progress.onEvent(event);
  }

  scan(result: ScanResult): void {
    // The JSON document is made only for --json: a piped scan of 100 000 files prints paths only.
    this.result(this.options.json ? scanDocument(result) : undefined, () => renderScan(result, { table: this.options.stdout.isTTY === true }));
  }

  cycle(result: CycleResult): void {
    this.result(result, () => renderCycle(result, { verbose: this.options.verbose }));
  }

  watchCycle(cycle: WatchCycle): void {
    if (!this.options.json) this.lines(renderWatchCycle(cycle, { verbose: this.options.verbose }));
  }

  watchEnd(result: CycleResult, cycles: number): void {
    this.result({ ...result, cycles }, () => renderWatchEnd(result, cycles));
  }

  diagnose(result: DiagnoseResult): void {
    this.result(result, () => renderDiagnose(result));
  }

  htmlReport(result: HtmlReportResult): void {
    this.result(htmlReportDocument(result), () => renderHtmlReport(result));
  }

  rename(result: RenameResult, dryRun: boolean, exitCode: ExitCodeValue): void {
    this.result({ dryRun, files: result.files, exitCode }, () => renderRename(result, dryRun));
  }

  checkPes(result: CheckPesResult, exitCode: ExitCodeValue): void {
    this.result({ ...result, exitCode }, () => renderCheckPes(result));
  }

  logText(log: LogText): void {
    this.result({ ...log, exitCode: 0 }, () => renderLogText(log));
  }

  purge(result: PurgeResult, olderThan: string): void {
    this.result({ ...result, olderThan }, () => renderPurge(result, olderThan));
  }

  configValid(summary: ConfigSummary): void {
    this.result({ valid: true, ...summary, exitCode: 0 }, () => renderConfigValid(summary, this.options.cwd));
  }

  configShow(effective: unknown): void {
    // Secret-named keys are masked by key, not only by known value.
    const masked = redactDeep(effective);
    this.result(masked, () => renderConfigShow(masked));
  }

  /** Render a failed command (JSON error document or human text); returns its exit code. */
  failure(error: unknown, usageHint?: string): ExitCodeValue {
    const description = describeError(error, { verbose: this.options.verbose, usageHint });
    this.result(errorDocument(description), () => renderError(description, this.options.cwd));
    return description.code;
  }

  /** A short message about the run itself (e.g. "stopping after the current file"): stderr, not with --quiet. */
  notice(text: string): void {
    if (this.options.quiet) return;
    this.progress?.stop();
    this.options.stderr.write(`${this.errPalette.yellow(escapeControls(redact(text)))}\n`);
  }

  private result(json: unknown, human: () => Line[]): void {
    this.progress?.stop();
    if (this.options.json) this.writeJson(json);
    else this.lines(human());
  }

  /** The --json document, written in parts of about 64 KiB: a large one is never held whole as text. */
  private writeJson(document: unknown): void {
    let part = '';
    for (const piece of jsonPieces(document)) {
      part += piece;
      if (part.length >= JSON_PART) {
        this.options.stdout.write(part);
        part = '';
      }
    }
    if (part !== '') this.options.stdout.write(part);
  }

  /** Route each line to its stream (see LineKind) and write each stream once. */
  lines(items: Line[]): void {
    this.progress?.stop();
    const { quiet } = this.options;
    // stdout written in parts as it is painted: a scan of 100 000 files is 100 000 lines, not one text.
    let out = '';
    const err: string[] = [];
    for (const item of items) {
      const toErr = item.kind === 'problem' || (quiet && item.kind === 'failure');
      const shown = item.kind === 'data' || item.kind === 'problem' || item.kind === 'failure' || !quiet;
      if (!shown) continue;
      if (toErr) err.push(paintLine(item, this.errPalette));
      else {
        out += `${paintLine(item, this.outPalette)}\n`;
        if (out.length >= OUTPUT_PART) {
          this.options.stdout.write(out);
          out = '';
        }
      }
    }
    if (out.length > 0) this.options.stdout.write(out);
    if (err.length > 0) this.options.stderr.write(`${err.join('\n')}\n`);
  }
}
