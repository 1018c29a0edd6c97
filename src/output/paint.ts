// Turns tagged lines into text for one stream: masked first, then escaped (a line is one line: any
// control character in it came from a name or a path, never from ordo), then coloured when that
// stream gets colour.
import type { ChalkInstance } from 'chalk';
import { redact } from '../shared/redact.js';
import { escapeControls } from '../i18n/index.js';
import type { Line, Tone } from './lines.js';

export function paintLine(item: Line, palette: ChalkInstance): string {
  const text = escapeControls(redact(item.text));
  if (item.mark === undefined) return tone(palette, item.tone)(text);
  const body = item.tone === 'dim' || item.tone === 'bold' ? tone(palette, item.tone)(text) : text;
  return `${tone(palette, item.tone)(escapeControls(redact(item.mark)))} ${body}`;
}

function tone(palette: ChalkInstance, value: Tone | undefined): (text: string) => string {
  switch (value) {
    case 'ok': return palette.green;
    case 'warn': return palette.yellow;
    case 'fail': return palette.red;
    case 'dim': return palette.dim;
    case 'bold': return palette.bold;
    default: return (text) => text;
  }
}
