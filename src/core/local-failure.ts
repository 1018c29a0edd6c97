// A failure of this machine's filesystem (full disk, unreadable file, I/O error) while handling one
// file: it concerns that file and that folder only, never the whole cycle. This turns it into a
// translated reason and fix, naming the folder and, for a full disk, the bytes needed and free.
import { statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import { isTransferError } from '../protocols/contract.js';
import { t } from '../i18n/index.js';
import { formatSize } from '../i18n/units.js';
import { OrdoError } from '../shared/errors.js';
import { nearestExisting } from '../shared/exists.js';

export interface LocalFailure {
  /** The system code: ENOSPC, EACCES, EIO… */
  code: string;
  /** The folder the failure is about (the one that is full, or holds the unreadable file). */
  folder: string;
  reason: string;
  fix: string;
}

const NO_SPACE = new Set(['ENOSPC', 'EDQUOT']);
const DENIED = new Set(['EACCES', 'EPERM']);

/** An error of the operating system (errno code), not one ordo or a protocol raised on purpose. */
export function isSystemError(error: unknown): error is NodeJS.ErrnoException & { code: string } {
  if (!(error instanceof Error) || error instanceof OrdoError || isTransferError(error)) return false;
  const code = (error as NodeJS.ErrnoException).code;
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code);
}

/** Remembers which folder an operation was working in, for the message (errors of open handles carry no path). */
export function located(error: unknown, folder: string): unknown {
  if (isSystemError(error) && (error as { ordoFolder?: string }).ordoFolder === undefined) Object.assign(error, { ordoFolder: folder });
  return error;
}

/** Reason and fix for a system error met while handling `path` (`size` bytes). */
export async function describeLocalFailure(error: NodeJS.ErrnoException & { code: string }, path: string, size: number | undefined): Promise<LocalFailure> {
  const code = error.code;
  const dest = (error as { dest?: string }).dest;
  const folder = (error as { ordoFolder?: string }).ordoFolder ?? dirname(dest ?? path);
  if (NO_SPACE.has(code)) {
    const free = await freeBytes(folder);
    const params = { folder, code, needed: size === undefined ? '?' : formatBytes(size), free: free === undefined ? '?' : formatBytes(free) };
    return { code, folder, reason: t('engine.local.noSpace', params), fix: t('engine.local.noSpace.fix', params) };
  }
  if (DENIED.has(code)) return { code, folder, reason: t('engine.local.denied', { path, code }), fix: t('engine.local.denied.fix', { path }) };
  if (code === 'EBUSY') return { code, folder, reason: t('engine.local.busy', { path, code }), fix: t('engine.local.busy.fix', { path }) };
  return { code, folder, reason: t('engine.local.other', { folder, code, path }), fix: t('engine.local.other.fix', { folder }) };
}

/** The fix for a journaled local failure (diagnose), from its code and folder. */
export function localFailureFix(code: string, folder: string, path: string): string {
  if (NO_SPACE.has(code)) return t('engine.local.noSpace.fix', { folder });
  if (DENIED.has(code)) return t('engine.local.denied.fix', { path });
  if (code === 'EBUSY') return t('engine.local.busy.fix', { path });
  return t('engine.local.other.fix', { folder });
}

/** Bytes free for this account on the volume of `folder` (or of its closest existing parent). */
export async function freeBytes(folder: string): Promise<number | undefined> {
  const existing = await nearestExisting(folder);
  if (existing === undefined) return undefined;
  try {
    const stats = await statfs(existing);
    return stats.bavail * stats.bsize;
  } catch {
    return undefined;
  }
}

/** `1234567 bytes (1.2 MB)`: the exact count for support, the rounded one for people. */
function formatBytes(bytes: number): string {
  return bytes < 1024 ? t('engine.local.bytes', { count: bytes }) : t('engine.local.bytesRounded', { count: bytes, rounded: formatSize(bytes) });
}
