// `<root>/counters.json`: every counter that does not live in automate.ini, as
// `{ "tedeco.request": "0042", … }` (counter name → last number used, as digits).
import { readFile } from 'node:fs/promises';
import { replaceFileAtomically } from '../shared/durable-files.js';
import { counterError } from './counter-errors.js';
import { isCounterDigits } from './counter-value.js';

export type CounterTable = Record<string, string>;

/** The table in `file`; empty when the file does not exist yet. */
export async function readCounterTable(file: string): Promise<CounterTable> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw counterError('naming.counter.unreadable', { file, reason: (error as Error).message });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw counterError('naming.counter.unreadable', { file, reason: 'not a JSON object' });
  }
  const table: CounterTable = {};
  for (const [name, value] of Object.entries(parsed as Record<string, unknown>)) {
    // A hand-edited number (42) is accepted; its width is then its number of digits.
    const digits = typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? String(value) : value;
    if (typeof digits !== 'string' || !isCounterDigits(digits)) {
      throw counterError('naming.counter.invalid', { file, counter: name, value: JSON.stringify(value) });
    }
    table[name] = digits;
  }
  return table;
}

export async function writeCounterTable(file: string, table: CounterTable): Promise<void> {
  await replaceFileAtomically(file, `${JSON.stringify(table, null, 2)}\n`);
}
