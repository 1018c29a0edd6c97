// What human renderers produce: lines tagged with what they are, so that the reporter can route them
// (stdout / stderr, --quiet) and colour them for the stream they end up on.

/**
 * data:    the result itself (paths, log text, configuration): stdout, also with --quiet.
 * info:    what happened (file lines, summaries): stdout, not with --quiet.
 * failure: a check that failed in a report that is itself the result (check-pes, rename, diagnose):
 *          stdout, or stderr with --quiet.
 * problem: what went wrong or prevented work (a file not transferred, a scenario stopped), with its
 *          fix: always stderr, also with --quiet, and never on stdout too.
 */
export type LineKind = 'data' | 'info' | 'failure' | 'problem';
export type Tone = 'ok' | 'warn' | 'fail' | 'dim' | 'bold' | 'plain';

export interface Line {
  kind: LineKind;
  text: string;
  /** A leading symbol (✔ ✖ ⚠ …), coloured with `tone`. */
  mark?: string;
  tone?: Tone;
}

export const MARK = { ok: '✔', fail: '✖', warn: '⚠', wait: '…', dry: '○', item: '•', fix: '→' } as const;

export function line(kind: LineKind, text: string, extra: { mark?: string; tone?: Tone } = {}): Line {
  return { kind, text, ...extra };
}
