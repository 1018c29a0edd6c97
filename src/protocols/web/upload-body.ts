// The body of an upload, streamed from disk (memory stays flat whatever the size) with a known length,
// counted for progress, and able to tell afterwards whether every byte had left — the line between a
// failure that is safe to retry and one after which the partner may have the file.
import { open, type FileHandle } from 'node:fs/promises';
import { PassThrough, type Readable } from 'node:stream';
import { FormData, Response } from 'undici';
import { TransferError, type SendItem } from '../contract.js';
import { fileSystemError, isMissing } from '../common/file-errors.js';

/** Large reads mean fewer socket writes: faster than 256 KiB in loopback measurements, memory unchanged. */
const UPLOAD_CHUNK_BYTES = 1024 * 1024;

export interface MultipartLayout {
  /** Text fields sent before the file, in this order. */
  fields: ReadonlyArray<readonly [string, string]>;
  fileField: string;
}

export interface UploadBody {
  stream: Readable;
  length: number;
  /** The multipart type with its boundary, or undefined for a raw body. */
  contentType: string | undefined;
  /** Every byte was handed to the connection. */
  readonly bodyLeft: boolean;
  /** Closes the file if the request never read it to the end. */
  close(): Promise<void>;
}

/**
 * Opens `item.path`, refuses it if it is no longer the size the engine recorded, and streams it either
 * raw or as the file part of a `multipart/form-data` form.
 */
export async function openUploadBody(
  item: SendItem,
  multipart: MultipartLayout | undefined,
  onProgress: ((bytes: number) => void) | undefined,
): Promise<UploadBody> {
  const handle = await openSource(item);
  const size = (await handle.stat()).size;
  if (size !== item.size) {
    await handle.close();
    throw sourceChanged(item, item.size, size);
  }
  const envelope = multipart === undefined ? undefined : await formEnvelope(multipart, item.name);
  // The read stream owns the file, and closes it however reading ends.
  const reading = handle.createReadStream({ highWaterMark: UPLOAD_CHUNK_BYTES, start: 0 });
  let sent = 0;
  reading.on('data', (chunk: string | Buffer) => {
    sent += chunk.length;
    if (sent > size) reading.destroy(sourceChanged(item, size, sent));
    else onProgress?.(sent);
  });
  const stream = framed(reading, envelope);
  const state = { bodyLeft: false };
  reading.once('end', () => {
    if (sent !== size) stream.destroy(sourceChanged(item, size, sent));
    else if (size === 0) onProgress?.(0);
  });
  stream.once('end', () => {
    state.bodyLeft = sent === size;
  });
  return {
    stream,
    length: size + (envelope === undefined ? 0 : envelope.head.length + envelope.tail.length),
    contentType: envelope?.contentType,
    get bodyLeft() {
      return state.bodyLeft;
    },
    // A promise whose executor runs at once: a throw from destroy() rejects it, as in an async function.
    close: () =>
      new Promise<void>((resolve) => {
        reading.destroy();
        stream.destroy();
        resolve();
      }),
  };
}

/**
 * The file (between the form's head and tail, for a form) as the stream undici reads: buffered, so
 * that nothing flows before undici listens, and paused whenever the connection is busy.
 */
function framed(reading: Readable, envelope: Envelope | undefined): Readable {
  const body = new PassThrough({ highWaterMark: UPLOAD_CHUNK_BYTES });
  if (envelope !== undefined) body.write(envelope.head);
  reading.pipe(body, { end: false });
  reading.once('end', () => body.end(envelope?.tail));
  reading.once('error', (error) => body.destroy(error));
  body.once('close', () => reading.destroy());
  return body;
}

function sourceChanged(item: SendItem, expected: number, actual: number): TransferError {
  return new TransferError('permanent', 'protocol.common.sourceChanged', { name: item.name, expected, actual });
}

async function openSource(item: SendItem): Promise<FileHandle> {
  try {
    return await open(item.path, 'r');
  } catch (error) {
    if (isMissing(error)) throw new TransferError('permanent', 'protocol.local.sourceMissing', { path: item.path }, { cause: error });
    throw fileSystemError(error, item.path);
  }
}

interface Envelope {
  head: Buffer;
  tail: Buffer;
  contentType: string;
}

/**
 * undici encodes the form (boundary, field and file-name escaping) around an empty file; the file's
 * bytes then go where that empty content was — just before the closing delimiter, which is where
 * multipart/form-data puts the end of the last part — so that they stream from disk with a known length.
 */
async function formEnvelope(layout: MultipartLayout, fileName: string): Promise<Envelope> {
  const form = new FormData();
  for (const [name, value] of layout.fields) form.append(name, value);
  form.append(layout.fileField, new Blob([]), fileName);
  const encoded = new Response(form);
  const contentType = encoded.headers.get('content-type') ?? '';
  const boundary = /boundary=(.+)$/.exec(contentType)?.[1];
  const bytes = Buffer.from(await encoded.arrayBuffer());
  const at = boundary === undefined ? -1 : bytes.lastIndexOf(`\r\n--${boundary}--`);
  if (at < 0) throw new Error('unexpected multipart encoding');
  return { head: bytes.subarray(0, at), tail: bytes.subarray(at), contentType };
}
