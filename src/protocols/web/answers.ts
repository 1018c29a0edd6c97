// Reading what a partner answered: pages are read with a size limit (never a whole unexpected body),
// decoded with their charset, and turned into short, secret-free "own words" for messages and logs.
import type { Dispatcher } from 'undici';
import { redact } from '../../shared/redact.js';
import { TransferError } from '../contract.js';

type Body = Dispatcher.ResponseData['body'];
type Headers = Dispatcher.ResponseData['headers'];

/** Error pages are only read this far: their first words are all a message needs. */
const SNIPPET_BYTES = 16 * 1024;
const WORDS_CHARS = 300;

export function headerValue(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The whole page, refused beyond `limit` bytes (a listing that large is not a listing). */
export async function readPage(body: Body, headers: Headers, limit: number, host: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new TransferError('permanent', 'protocol.web.answerTooLarge', { host, limit }, { fixKey: 'protocol.web.answerTooLarge.fix' });
    chunks.push(chunk as Buffer);
  }
  return decode(Buffer.concat(chunks), headerValue(headers, 'content-type'));
}

/** The beginning of an answer that is not the expected one; the rest is discarded. */
export async function readSnippet(body: Body, headers: Headers): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      chunks.push(chunk as Buffer);
      size += (chunk as Buffer).length;
      if (size >= SNIPPET_BYTES) break;
    }
  } catch {
    // What arrived before the failure is enough for a message.
  }
  return decode(Buffer.concat(chunks).subarray(0, SNIPPET_BYTES), headerValue(headers, 'content-type'));
}

/** Drops an answer's body without reading it (and without an unhandled error when it is cut). */
export function discard(body: Body): void {
  body.on('error', () => undefined);
  body.destroy();
}

function decode(bytes: Buffer, contentType: string | undefined): string {
  const charset = /charset\s*=\s*"?([\w.:-]+)/i.exec(contentType ?? '')?.[1] ?? 'utf-8';
  try {
    return new TextDecoder(charset).decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

/** Text of a page or a fragment: tags dropped, entities decoded, spaces collapsed, shortened, secrets masked. */
export function ownWords(html: string): string {
  const text = decodeEntities(html.replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ').replace(/<[^>]*>/g, ' '))
    .replace(/\s+/g, ' ')
    .trim();
  const short = text.length > WORDS_CHARS ? `${text.slice(0, WORDS_CHARS - 1)}…` : text;
  return redact(short);
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** HTML character references: the named ones pages use for markup characters, and every numeric one. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#[xX][0-9a-fA-F]{1,6}|#\d{1,7}|[a-zA-Z]+);/g, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' || ref[1] === 'X' ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED[ref.toLowerCase()] ?? whole;
  });
}
