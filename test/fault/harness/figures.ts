// The figures of each fault case: printed as a compact table at the end of each test file, and
// appended to a JSON-lines file under os.tmpdir() (ORDO_FAULT_FIGURES to choose it) for docs/reliability.md.
import { appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Figures {
  case: string;
  /** SIGKILLs that interrupted a run. */
  kills?: number;
  /** Files that had to arrive (sent, or retrieved). */
  files: number;
  lost: number;
  duplicated: number;
  partial: number;
  leftovers: number;
  /** Anything else worth a column: exit codes, seconds, seed. */
  notes?: string;
}

const rows: Figures[] = [];

export function record(figures: Figures): void {
  rows.push(figures);
  const file = process.env.ORDO_FAULT_FIGURES ?? join(tmpdir(), 'ordo-fault-figures.jsonl');
  appendFileSync(file, `${JSON.stringify({ at: new Date().toISOString(), ...figures })}\n`);
}

export function printTable(title: string): void {
  if (rows.length === 0) return;
  const header = ['case', 'kills', 'files', 'lost', 'dup', 'partial', 'leftovers', 'notes'];
  const body = rows.map((r) => [r.case, r.kills === undefined ? '-' : String(r.kills), String(r.files), String(r.lost), String(r.duplicated), String(r.partial), String(r.leftovers), r.notes ?? '']);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const format = (row: string[]): string => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ');
  console.log([`[fault] ${title}`, format(header), ...body.map(format)].join('\n'));
}
