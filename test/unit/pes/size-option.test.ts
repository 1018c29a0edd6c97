// `--max-size` of check-pes: bytes, or KB/MB/GB (Ko/Mo/Go), 1 KB = 1024 bytes; anything else is exit 2.
import { describe, expect, it } from 'vitest';
import { sizeOption } from '../../../src/commands/check-pes.js';
import { ExitCode, UsageError } from '../../../src/shared/errors.js';

describe('sizeOption', () => {
  it.each([
    ['134217728', 134217728],
    ['128MB', 128 * 1024 ** 2],
    ['128 Mo', 128 * 1024 ** 2],
    ['500k', 500 * 1024],
    ['1,5G', 1.5 * 1024 ** 3],
    ['2.5kb', 2560],
    ['10B', 10],
  ])('%s', (value, bytes) => {
    expect(sizeOption(value)).toBe(bytes);
  });

  it.each(['', 'big', '0', '-5MB', '12 TB', 'MB', '1e9'])('refuses %j with a usage error', (value) => {
    let error: unknown;
    try {
      sizeOption(value);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(ExitCode.usage);
  });
});
