// Temporary folders with real configuration files, removed after the tests.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { ConfigError } from '../../../src/shared/errors.js';

const created: string[] = [];
afterAll(async () => {
  await Promise.all(created.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A fresh folder holding `files` (text is written as UTF-8; Buffers as they are). */
export async function tempFolder(files: Record<string, string | Buffer> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ordo-config-'));
  created.push(dir);
  for (const [name, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), content);
  }
  return dir;
}

/** Windows line ends. */
export function crlf(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}

/** Bytes as Notepad writes them in "ANSI" on a French Windows: Windows-1252, CRLF. */
export function windows1252(text: string): Buffer {
  return Buffer.from(crlf(text), 'latin1');
}

export async function configError(promise: Promise<unknown>): Promise<ConfigError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}
