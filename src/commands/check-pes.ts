// ordo check-pes <file...>: "before a PES leaves": is each file a PES Aller the TdT will take, and
// what does it say. Needs no configuration: it only reads the files given.
import { checkPesFiles } from '../core/check-pes.js';
import { ExitCode, UsageError } from '../shared/errors.js';
import type { CommandContext } from './context.js';

export async function run(ctx: CommandContext, input: { files: string[]; maxSize: string | undefined }): Promise<number> {
  const maxBytes = input.maxSize === undefined ? undefined : sizeOption(input.maxSize);
  const result = await checkPesFiles(input.files, { cwd: ctx.io.cwd, maxBytes });
  const exitCode = result.valid ? ExitCode.ok : ExitCode.partial;
  ctx.out.checkPes(result, exitCode);
  return exitCode;
}

const UNITS: Record<string, number> = { '': 1, b: 1, o: 1, k: 1024, kb: 1024, ko: 1024, m: 1024 ** 2, mb: 1024 ** 2, mo: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, go: 1024 ** 3 };

/** `134217728`, `128MB`, `128 Mo`, `1.5G` (1 KB = 1024 bytes, as ordo shows sizes); exit 2 otherwise. */
export function sizeOption(value: string): number {
  const match = /^(\d+(?:[.,]\d+)?)\s*([a-z]*)$/.exec(value.trim().toLowerCase());
  const factor = match === null ? undefined : UNITS[match[2] ?? ''];
  const number = match === null ? Number.NaN : Number((match[1] ?? '').replace(',', '.'));
  if (factor === undefined || !(number > 0)) throw new UsageError('cli.checkPes.badSize', { value }, 'cli.checkPes.badSize.fix');
  return Math.floor(number * factor);
}
