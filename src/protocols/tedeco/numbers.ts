// The numbers a request carries, from persistent counters (saved before use, locked, never reused):
//   tedeco.<ead>.request                      NNNN of rqNNNN/fiNNNN — shared by everything writing into that EAD
//   tedeco.<ead>.<profile>.etatcivil          var2, the collectivité's état civil send sequence
//   tedeco.<ead>.<profile>.elections.<year>   var4, its elections sequence within the reference year:
//                                             a new year is a new counter, so it starts again at 0001
import { TransferError, type ProtocolLog } from '../contract.js';
import type { CounterStore } from '../../naming/counter-store.js';
import type { CounterValue } from '../../naming/counter-value.js';
import { numberKey } from './spool.js';
import type { TedecoSettings } from './settings.js';

/** Numbers found already in use in the spool are skipped; this many in a row means something else writes there. */
const MAX_SKIPPED = 1000;

export function requestCounterName(ead: string): string {
  return `tedeco.${ead}.request`;
}

export function sequenceCounterName(settings: Pick<TedecoSettings, 'ead' | 'type'>, profile: string, year: number): string {
  return settings.type === 'etatcivil' ? `tedeco.${settings.ead}.${profile}.etatcivil` : `tedeco.${settings.ead}.${profile}.elections.${year}`;
}

/** var3: the scenario's `year`, else a year written in the file's name, else the current year. */
export function referenceYear(settings: Pick<TedecoSettings, 'year'>, fileName: string, now: Date): number {
  return settings.year ?? yearInName(fileName) ?? now.getFullYear();
}

/** The first 19xx or 20xx standing alone in the name (`ELEC_2025_03.txt`, `LE2024.DAT`), not inside a longer number. */
export function yearInName(fileName: string): number | undefined {
  const match = /(?<![0-9])(19|20)[0-9]{2}(?![0-9])/.exec(fileName);
  return match === null ? undefined : Number(match[0]);
}

/** The next request number that no file of the folder uses yet (`inUse` holds number keys). */
export async function takeRequestNumber(counters: CounterStore, ead: string, inUse: ReadonlySet<string>, log: ProtocolLog): Promise<string> {
  const counter = requestCounterName(ead);
  for (let skipped = 0; skipped <= MAX_SKIPPED; skipped += 1) {
    const taken = await takeCounter(counters, counter, log);
    if (!inUse.has(numberKey(taken))) return taken;
    log.warn('protocol.tedeco.numberInUse', { number: taken, counter });
  }
  throw new TransferError('permanent', 'protocol.tedeco.noFreeNumber', { counter, count: MAX_SKIPPED }, { fixKey: 'protocol.tedeco.noFreeNumber.fix', connection: true });
}

export async function takeCounter(counters: CounterStore, counter: string, log: ProtocolLog): Promise<string> {
  const value: CounterValue = await counters.next(counter);
  if (value.widened) log.warn('protocol.tedeco.counterWidened', { counter, value: value.value });
  return value.value;
}
