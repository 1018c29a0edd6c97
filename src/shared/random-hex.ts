// Random parts of names (temporary files, queue items, index generations): unique, not secret.
import { randomBytes } from 'node:crypto';

/** Drawn from the system's generator this many bytes at a time (as Node's randomUUID does). */
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let used = 0;

/**
 * `bytes` random bytes as hex. A call of randomBytes costs 5–15 µs whatever its size (a trip into
 * OpenSSL): a file sent makes three or four such names, so they are taken from a pool refilled when spent.
 */
export function randomHex(bytes: number): string {
  if (used + bytes > pool.length) {
    pool = randomBytes(Math.max(POOL_BYTES, bytes));
    used = 0;
  }
  const hex = pool.toString('hex', used, used + bytes);
  used += bytes;
  return hex;
}
