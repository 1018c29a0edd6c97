// Spinner and per-file progress on stderr, only on a terminal and never with --json or --quiet.
// With --verbose the run's log lines go to stderr as well (they are already masked by the engine).
import type { ChalkInstance } from 'chalk';
import type { Ora } from 'ora';
import type { EngineEvent } from '../core/context.js';
import { escapeControls, labelled, t } from '../i18n/index.js';
import { redact } from '../shared/redact.js';
import { formatSize } from './human/format.js';

/** What the spinner says a scenario is doing. */
const PHASE_KEY = { send: 'output.progress.sending', retrieve: 'output.progress.retrieving', follow: 'output.progress.following' } as const;

export interface Progress {
  onEvent(event: EngineEvent): void;
  /** Remove the spinner before the result is written. */
  stop(): void;
}

export interface ProgressOptions {
  spinner: boolean;
  verbose: boolean;
  stderr: NodeJS.WritableStream;
  palette: ChalkInstance;
}

export async function createProgress(options: ProgressOptions): Promise<Progress> {
  if (!options.spinner && !options.verbose) return { onEvent: () => undefined, stop: () => undefined };
  const spinner = options.spinner ? await startSpinner(options.stderr) : undefined;
  let current: { scenario: string; name: string; arrow: string; total?: number | undefined } | undefined;
  const show = (text: string) => {
    if (spinner === undefined) return;
    spinner.text = escapeControls(redact(text));
    if (!spinner.isSpinning) spinner.start();
  };
  const print = (text: string) => {
    spinner?.clear();
    options.stderr.write(`${options.palette.dim(escapeControls(redact(text)))}\n`);
    if (spinner?.isSpinning) spinner.render();
  };
  return {
    onEvent(event) {
      switch (event.type) {
        case 'scenario':
          show(labelled(event.scenario, t(PHASE_KEY[event.phase])));
          break;
        case 'file-start':
          current = { scenario: event.scenario, name: event.name, arrow: event.direction === 'send' ? '↑' : '↓', total: event.size };
          show(labelled(event.scenario, `${current.arrow} ${event.name}${event.size === undefined ? '' : ` (${formatSize(event.size)})`}`));
          break;
        case 'progress': {
          const total = event.total ?? current?.total;
          const done = total ? `${Math.min(100, Math.floor((event.bytes / total) * 100))} %` : formatSize(event.bytes);
          show(labelled(event.scenario, `${current?.arrow ?? '↑'} ${event.name} ${done}`));
          break;
        }
        case 'file-end':
          current = undefined;
          break;
        case 'wait':
          show(labelled(event.scenario, t(event.reason === 'delay' ? 'output.progress.delay' : 'output.progress.backoff', { seconds: Math.ceil(event.ms / 1000) })));
          break;
        case 'log':
          if (options.verbose) print(event.message);
          break;
      }
    },
    stop() {
      spinner?.stop();
    },
  };
}

async function startSpinner(stream: NodeJS.WritableStream): Promise<Ora> {
  const { default: ora } = await import('ora');
  // discardStdin off: Ctrl-C must reach our own SIGINT handler as a plain signal.
  return ora({ stream, discardStdin: false, isEnabled: true });
}
