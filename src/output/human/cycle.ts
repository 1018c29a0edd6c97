// send / retrieve / run / watch: one line per file, a summary, then the problems with their fix.
// One line per event: a file that went wrong is a problem line (stderr), the others and the summary
// are the result (stdout); a file a scenario problem is about is told by that problem alone.
import { hasMessage, t } from '../../i18n/index.js';
import type { CycleResult, FileOutcome, FileStatus, ScenarioProblem, WatchCycle } from '../../core/results.js';
import { line, MARK, type Line, type LineKind, type Tone } from '../lines.js';
import { formatElapsed, formatSize, plural } from './format.js';
import { localTime } from '../../shared/local-time.js';

export interface CycleRenderOptions {
  verbose: boolean;
}

interface StatusLook {
  mark: string;
  tone: Tone;
  kind: LineKind;
}

const LOOK: Record<FileStatus, StatusLook> = {
  sent: { mark: MARK.ok, tone: 'ok', kind: 'info' },
  pending: { mark: MARK.wait, tone: 'ok', kind: 'info' },
  acknowledged: { mark: MARK.ok, tone: 'ok', kind: 'info' },
  refused: { mark: MARK.fail, tone: 'fail', kind: 'problem' },
  received: { mark: MARK.ok, tone: 'ok', kind: 'info' },
  failed: { mark: MARK.fail, tone: 'fail', kind: 'problem' },
  deferred: { mark: MARK.warn, tone: 'warn', kind: 'problem' },
  uncertain: { mark: MARK.warn, tone: 'warn', kind: 'problem' },
  duplicate: { mark: MARK.warn, tone: 'warn', kind: 'problem' },
  'would-send': { mark: MARK.dry, tone: 'dim', kind: 'info' },
  'would-receive': { mark: MARK.dry, tone: 'dim', kind: 'info' },
  waiting: { mark: MARK.item, tone: 'plain', kind: 'data' },
};

/** Order of the counts in the summary line. */
const SUMMARY_ORDER: FileStatus[] = [
  'sent', 'pending', 'acknowledged', 'received', 'waiting', 'would-send', 'would-receive', 'duplicate', 'uncertain', 'deferred', 'refused', 'failed',
];

export function renderCycle(result: CycleResult, options: CycleRenderOptions): Line[] {
  return [...fileLines(untold(result), options), ...summaryLines(result), ...problemLines(result.problems)];
}

/** The files no scenario problem is about (a problem naming a file stands for that file's line). */
function untold(result: CycleResult): FileOutcome[] {
  const told = new Set(result.problems.filter((p) => p.file !== undefined).map((p) => `${p.scenario}\u0000${p.file}`));
  return result.files.filter((f) => f.status !== 'deferred' || !told.has(`${f.scenario}\u0000${f.name}`));
}

export function renderWatchCycle(cycle: WatchCycle, options: CycleRenderOptions): Line[] {
  const { result } = cycle;
  const heading = line('info', t('output.watch.cycle', { cycle: cycle.cycle, time: localTime(result.startedAt) }), { tone: 'bold' });
  if (result.files.length === 0 && result.problems.length === 0) {
    return [line('info', `${heading.text} ${t('output.watch.idle')}`, { tone: 'dim' })];
  }
  return [heading, ...fileLines(untold(result), options), ...summaryLines(result), ...problemLines(result.problems)];
}

/** The end of `watch`: how it stopped, and the total over every cycle. */
export function renderWatchEnd(result: CycleResult, cycles: number): Line[] {
  return [line('info', t('output.watch.stopped', { cycles })), line('info', summaryText(result), { tone: 'bold' })];
}

export function fileLines(files: FileOutcome[], options: CycleRenderOptions): Line[] {
  const out: Line[] = [];
  for (const file of files) {
    const look = LOOK[file.status];
    out.push(line(look.kind, describeFile(file, options), { mark: look.mark, tone: look.tone }));
  }
  return out;
}

function describeFile(file: FileOutcome, options: CycleRenderOptions): string {
  const size = file.size === undefined ? '' : formatSize(file.size);
  const params = {
    scenario: file.scenario,
    name: file.name,
    size,
    reason: file.reason ?? t('output.file.noReason'),
    remoteId: file.remoteId ?? '',
  };
  // A download that failed is not a file "not sent": receive outcomes have their own wording.
  const receiveKey = `output.file.receive.${file.status}`;
  // The partner's later word on a pending send: a `failed` one was accepted first, never set aside.
  const followKey = file.followed === true && file.status === 'failed' ? 'output.file.followFailed' : undefined;
  const notQueued = isNotQueued(file);
  const key =
    followKey ??
    (file.direction === 'receive' && hasMessage(receiveKey) ? receiveKey : notQueued ? 'output.file.notQueued' : file.inSource === true ? 'output.file.deferredInSource' : `output.file.${file.status}`);
  let text = t(key, params);
  if (size !== '' && (file.status === 'sent' || file.status === 'pending' || file.status === 'received' || file.status === 'waiting')) {
    text += ` (${size})`;
  }
  if (file.localPath !== undefined && file.status === 'received') text += ` → ${file.localPath}`;
  if (file.receipt !== undefined) text += ` ${t('output.file.receiptPlaced', { path: file.receipt })}`;
  // A duplicate's reason ends with the command that sends it anyway, which names the path already.
  if (file.localPath !== undefined && file.status === 'failed') {
    text += ` ${t('output.file.setAside', { path: file.localPath })}`;
  }
  if (file.original !== undefined && !notQueued) text += ` ${t('output.file.copied', { path: file.original })}`;
  if (file.resumed) text += ` ${t('output.file.resumed')}`;
  if (options.verbose) {
    const details: string[] = [];
    if (file.remoteId) details.push(t('output.file.remoteId', params));
    if (file.attempts !== undefined && file.attempts > 1) details.push(t('output.file.attempts', { attempts: file.attempts }));
    if (file.localPath && file.status !== 'failed' && file.status !== 'received') details.push(file.localPath);
    if (details.length > 0) text += ` [${details.join('; ')}]`;
  }
  return text;
}

/** A given file that could not even be read or copied into the queue: not "refused", and nothing was set aside. */
function isNotQueued(file: FileOutcome): boolean {
  return file.original !== undefined && file.status === 'failed' && file.localPath === undefined;
}

function summaryLines(result: CycleResult): Line[] {
  const out: Line[] = [line('info', summaryText(result), { tone: 'bold' })];
  if (result.dryRun && result.command !== 'retrieve') out.push(line('info', t('output.dryRunNote'), { tone: 'dim' }));
  if (result.interrupted) out.push(line('problem', t('output.interrupted'), { mark: MARK.warn, tone: 'warn' }));
  return out;
}

export function summaryText(result: CycleResult): string {
  const counts = new Map<FileStatus | 'notQueued', number>();
  for (const file of result.files) {
    const counted = isNotQueued(file) ? 'notQueued' : file.status;
    counts.set(counted, (counts.get(counted) ?? 0) + 1);
  }
  const parts = [...SUMMARY_ORDER, 'notQueued' as const].filter((s) => counts.has(s)).map((s) => plural(`output.count.${s}`, counts.get(s) ?? 0));
  const elapsed = formatElapsed(new Date(result.endedAt).getTime() - new Date(result.startedAt).getTime());
  if (parts.length === 0) {
    return result.problems.length === 0 ? t('output.nothingToDo', { elapsed }) : t('output.nothingDone', { elapsed });
  }
  return t('output.summary', { counts: parts.join(', '), elapsed });
}

export function problemLines(problems: ScenarioProblem[]): Line[] {
  const out: Line[] = [];
  for (const problem of problems) {
    out.push(line('problem', t('output.problem', { scenario: problem.scenario, message: problem.message }), { mark: MARK.fail, tone: 'fail' }));
    if (problem.fix) out.push(fixLine('problem', problem.fix));
  }
  return out;
}

export function fixLine(kind: LineKind, fix: string): Line {
  return line(kind, `  ${MARK.fix} ${fix}`, { tone: 'dim' });
}
