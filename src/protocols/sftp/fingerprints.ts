// Host key fingerprints as OpenSSH shows them (`SHA256:<base64 without padding>`), computed from the
// key blob the server presents, and read from what people paste into a configuration.
import { createHash } from 'node:crypto';

const FINGERPRINT = /^SHA256:([A-Za-z0-9+/]{43})=?$/i;

export interface PresentedKey {
  /** `ssh-ed25519`, `ecdsa-sha2-nistp256`, `ssh-rsa`… */
  type: string;
  fingerprint: string;
  /** The key blob (SSH wire format), as known_hosts stores it in base64. */
  blob: Buffer;
}

export function describeKey(blob: Buffer): PresentedKey {
  return { type: keyTypeOf(blob), fingerprint: fingerprintOf(blob), blob };
}

export function fingerprintOf(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** The blob starts with its algorithm name as an SSH string (uint32 length + bytes). */
export function keyTypeOf(blob: Buffer): string {
  if (blob.length < 4) return 'unknown';
  const length = blob.readUInt32BE(0);
  return length > 0 && length <= 64 && blob.length >= 4 + length ? blob.subarray(4, 4 + length).toString('latin1') : 'unknown';
}

/** The canonical form of one pasted fingerprint, or undefined when it is not a SHA256 fingerprint. */
export function normaliseFingerprint(text: string): string | undefined {
  const match = FINGERPRINT.exec(text.trim());
  return match ? `SHA256:${match[1]}` : undefined;
}

/** `hostKey` as written: one fingerprint, several separated by `;` (or `,`), or a list. */
export function parseFingerprintList(value: unknown): { fingerprints: string[]; invalid: string[] } {
  const items = typeof value === 'string' ? value.split(/[;,]/) : Array.isArray(value) ? value : [value];
  const fingerprints: string[] = [];
  const invalid: string[] = [];
  for (const item of items) {
    if (typeof item !== 'string') {
      invalid.push(String(item));
      continue;
    }
    if (item.trim() === '') continue;
    const fingerprint = normaliseFingerprint(item);
    if (fingerprint === undefined) invalid.push(item.trim());
    else if (!fingerprints.includes(fingerprint)) fingerprints.push(fingerprint);
  }
  return { fingerprints, invalid };
}
