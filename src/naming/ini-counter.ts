// `[DIR:REC] numrec` inside automate.ini, read and rewritten at the byte level: the file may be
// Windows-1252 or UTF-8, CRLF or LF, full of comments; only the counter's digits may change.
// Both encodings agree with ASCII, and a Latin-1 view maps each byte to one character, so offsets in
// that view are byte offsets and everything else is copied back untouched.
import { EOL } from 'node:os';
import { counterError } from './counter-errors.js';

export const INI_COUNTER_SECTION = 'DIR:REC';
export const INI_COUNTER_KEY = 'numrec';

export interface IniCounter {
  /** The stored digits (last number used), or undefined when the key or the section is missing. */
  lastUsed: string | undefined;
  /** The file's bytes with the counter set to `digits`; every other byte is kept. */
  withValue(digits: string): Buffer;
}

interface Line {
  start: number;
  /** End of the content, before `\r\n` or `\n`. */
  end: number;
  /** Start of the following line. */
  next: number;
}

export function readIniCounter(bytes: Buffer, file: string): IniCounter {
  if (isUtf16(bytes)) throw counterError('naming.counter.encoding', { file });
  const text = bytes.toString('latin1');
  const eol = lineEnding(text);
  const lines = splitLines(text);
  let inSection = false;
  let header: Line | undefined;
  let slot: { start: number; end: number; digits: string } | undefined;
  for (const line of lines) {
    const content = text.slice(line.start, line.end).replace(/^\u00EF\u00BB\u00BF/, '');
    const section = /^[ \t]*\[([^\]]*)\]/.exec(content);
    if (section) {
      inSection = (section[1] ?? '').trim().toLowerCase() === INI_COUNTER_SECTION.toLowerCase();
      if (inSection) header ??= line;
      continue;
    }
    if (!inSection) continue;
    const key = /^([ \t]*numrec[ \t]*=[ \t]*)(.*)$/i.exec(content);
    if (!key) continue;
    // Later keys win, as with every INI reader.
    slot = digitsSlot(key[2] ?? '', line.end - (key[2] ?? '').length, file);
  }

  if (slot !== undefined) {
    const found = slot;
    return {
      lastUsed: found.digits,
      withValue: (digits) => splice(bytes, found.start, found.end, digits),
    };
  }
  if (header !== undefined) {
    const after = header;
    const atEnd = after.next === after.end;
    return {
      lastUsed: undefined,
      withValue: (digits) =>
        atEnd
          ? splice(bytes, after.end, after.end, `${eol}${INI_COUNTER_KEY}=${digits}`)
          : splice(bytes, after.next, after.next, `${INI_COUNTER_KEY}=${digits}${eol}`),
    };
  }
  const needsEol = text.length > 0 && !text.endsWith('\n');
  return {
    lastUsed: undefined,
    withValue: (digits) =>
      splice(
        bytes,
        bytes.length,
        bytes.length,
        `${needsEol ? eol : ''}[${INI_COUNTER_SECTION}]${eol}${INI_COUNTER_KEY}=${digits}${eol}`,
      ),
  };
}

/** Where the digits of `value` are (optionally quoted, optionally followed by a `;` or `#` comment). */
function digitsSlot(value: string, valueStart: number, file: string): { start: number; end: number; digits: string } {
  const parts = /^(["']?)([0-9]*)\1?[ \t]*(?:[;#].*)?$/.exec(value);
  if (!parts) {
    throw counterError('naming.counter.invalid', {
      file,
      counter: `[${INI_COUNTER_SECTION}] ${INI_COUNTER_KEY}`,
      value: value.trim(),
    });
  }
  const start = valueStart + (parts[1] ?? '').length;
  const digits = parts[2] ?? '';
  return { start, end: start + digits.length, digits };
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  while (start < text.length) {
    const newline = text.indexOf('\n', start);
    if (newline === -1) {
      lines.push({ start, end: text.length, next: text.length });
      break;
    }
    const end = newline > start && text[newline - 1] === '\r' ? newline - 1 : newline;
    lines.push({ start, end, next: newline + 1 });
    start = newline + 1;
  }
  return lines;
}

/** The file's own line ending; the system's when the file has none yet. */
function lineEnding(text: string): string {
  const newline = text.indexOf('\n');
  if (newline === -1) return EOL;
  return newline > 0 && text[newline - 1] === '\r' ? '\r\n' : '\n';
}

function isUtf16(bytes: Buffer): boolean {
  return bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff));
}

function splice(bytes: Buffer, start: number, end: number, ascii: string): Buffer {
  return Buffer.concat([bytes.subarray(0, start), Buffer.from(ascii, 'latin1'), bytes.subarray(end)]);
}
