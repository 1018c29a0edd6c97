// The names of our own unfinished writes, the same for every protocol, local or remote: hidden, and
// recognisable by anyone looking at the folder.
import { randomBytes } from 'node:crypto';

export const TEMP_SUFFIX = '.ordo-part';

/** Keeps temporary names within the usual 255-byte limit whatever the final name's length. */
const TEMP_NAME_BYTES = 180;

/** `.report.xml.1a2b3c4d5e6f.ordo-part`: unique, so that two writers never share one. */
export function temporaryName(name: string): string {
  return `.${truncateUtf8(name, TEMP_NAME_BYTES)}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`;
}

export function isTemporaryName(name: string): boolean {
  return name.startsWith('.') && name.endsWith(TEMP_SUFFIX);
}

function truncateUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  let result = '';
  for (const char of text) {
    if (Buffer.byteLength(result + char) > maxBytes) break;
    result += char;
  }
  return result;
}
