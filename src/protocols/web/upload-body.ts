// The body of an upload, with a known length: a small file read whole at once, a larger one streamed
// from disk (memory stays flat whatever the size); counted for progress, and able to tell afterwards
// whether every byte had left — the line between a failure that is safe to retry and one after which the
// partner may have the file.
import { open, type FileHandle } from 'node:fs/promises';
import { FormData, Response } from 'undici';
import { TransferError, type SendItem } from '../contract.js';
import { fileSystemError, isMissing } from '../common/file-errors.js';
import { READ_WHOLE_MAX, readWholeSource } from '../common/whole-source.js';

/** Large reads mean fewer socket writes: faster than 256 KiB in loopback measurements, memory unchanged. */
const UPLOAD_CHUNK_BYTES = 1024 * 1024;
/**
 * The file is read into this many buffers in turn, instead of a new buffer per read (whose allocation
 * and page faults cost more CPU than the copy). Safe because undici asks for chunk k only once the socket
 * has taken chunk k - 1 (its write returned true, or it drained: a 1 MiB chunk is larger than the socket's
 * buffer, so it always waits for the drain): the read ahead of chunk k + 1, started when chunk k is asked
 * for, goes into the buffer of chunk k - 3, which left the process two chunks earlier.
 */
const UPLOAD_BUFFERS = 4;

export interface MultipartLayout {
  /** Text fields sent before the file, in this order. */
  fields: ReadonlyArray<readonly [string, string]>;
  fileField: string;
}

export interface UploadBody {
  /** What undici sends, chunk after chunk, asking for the next one only when the connection took the last. */
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
  length: number;
  /** The multipart type with its boundary, or undefined for a raw body. */
  contentType: string | undefined;
  /** Every byte was handed to the connection. */
  readonly bodyLeft: boolean;
  /** What `beforeLastBytes` rejected with, when it did: the request was cut before its end. */
  readonly refusal?: { error: unknown } | undefined;
  /** Closes the file if the request never read it to the end. */
  close(): Promise<void>;
}

/**
 * Called before the body's last bytes leave (TransferOptions.beforePublish): an HTTP partner takes a file
 * only once its request's body is complete (its length is announced), so a body held back before its end,
 * or cut there, delivers nothing. The closing delimiter of a form is held back; of a raw body, its last byte.
 */
export type BeforeLastBytes = () => Promise<unknown>;

/**
 * Opens `item.path`, refuses it if it is no longer the size the engine recorded, and sends it either
 * raw or as the file part of a `multipart/form-data` form: a small file read whole at once, a larger one
 * streamed.
 */
export async function openUploadBody(
  item: SendItem,
  multipart: MultipartLayout | undefined,
  onProgress: ((bytes: number) => void) | undefined,
  beforeLastBytes?: BeforeLastBytes,
): Promise<UploadBody> {
  const file = item.size <= READ_WHOLE_MAX ? new WholeFile(readWholeSource(item, (error) => sourceFailure(item, error)).content) : await FileChunks.open(item);
  const envelope = multipart === undefined ? undefined : await formEnvelope(multipart, item.name).catch(async (error: unknown) => {
    await file.close();
    throw error;
  });
  const size = item.size;
  const state: { bodyLeft: boolean; started: boolean; refusal: { error: unknown } | undefined } = { bodyLeft: false, started: false, refusal: undefined };
  const allowLastBytes = async (): Promise<void> => {
    try {
      await beforeLastBytes?.();
    } catch (error) {
      state.refusal = { error };
      throw error;
    }
  };
  // A raw body with no bytes is complete with its headers: the word is asked before the request starts.
  if (beforeLastBytes !== undefined && envelope === undefined && size === 0) {
    await allowLastBytes().catch(async (error: unknown) => {
      await file.close();
      throw error;
    });
  }
  const holdsLastByte = beforeLastBytes !== undefined && envelope === undefined && size > 0;
  async function* chunks(): AsyncGenerator<Uint8Array> {
    state.started = true;
    try {
      if (envelope !== undefined) yield envelope.head;
      let sent = 0;
      for await (const chunk of file.read()) {
        if (holdsLastByte && sent + chunk.length === size) {
          if (chunk.length > 1) yield chunk.subarray(0, chunk.length - 1);
          onProgress?.(size - 1);
          await allowLastBytes();
          yield chunk.subarray(chunk.length - 1);
        } else {
          yield chunk;
        }
        sent += chunk.length;
        onProgress?.(sent);
      }
      if (size === 0) onProgress?.(0);
      if (envelope !== undefined) {
        if (beforeLastBytes !== undefined) await allowLastBytes();
        yield envelope.tail;
      }
      state.bodyLeft = true;
    } finally {
      await file.close();
    }
  }
  const body = chunks();
  return {
    chunks: body,
    length: size + (envelope === undefined ? 0 : envelope.head.length + envelope.tail.length),
    contentType: envelope?.contentType,
    get bodyLeft() {
      return state.bodyLeft;
    },
    get refusal() {
      return state.refusal;
    },
    // Not started: the generator's clean-up would never run, so the file is closed here.
    close: async () => {
      if (state.started) await body.return(undefined);
      else await file.close();
    },
  };
}

/** A file's bytes, in the order they are sent. */
interface FileSource {
  read(): AsyncIterable<Buffer> | Iterable<Buffer>;
  close(): Promise<void>;
}

/** A small file, read whole (and checked against what the engine recorded) before the request starts. */
class WholeFile implements FileSource {
  constructor(private readonly content: Buffer) {}

  read(): Iterable<Buffer> {
    return this.content.length === 0 ? [] : [this.content];
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** The file read in order into reused buffers, the next read under way while a chunk is being sent. */
class FileChunks implements FileSource {
  private readonly buffers: Buffer[] = [];
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly handle: FileHandle,
    private readonly item: SendItem,
    private readonly size: number,
  ) {}

  /** Opens `item.path`, refused if it is no longer the size the engine recorded. */
  static async open(item: SendItem): Promise<FileChunks> {
    const handle = await openSource(item);
    const size = await handle.stat().then(
      (info) => info.size,
      async (error: unknown) => {
        await handle.close().catch(() => undefined);
        throw fileSystemError(error, item.path);
      },
    );
    if (size !== item.size) {
      await handle.close();
      throw sourceChanged(item, item.size, size);
    }
    return new FileChunks(handle, item, size);
  }

  /** The file's bytes up to its end, refused as soon as there are more or fewer than `size`. */
  async *read(): AsyncGenerator<Buffer> {
    let position = 0;
    let turn = 0;
    let reading = this.readAt(turn, position);
    for (;;) {
      const { bytesRead, buffer } = await reading;
      if (bytesRead === 0) break;
      position += bytesRead;
      if (position > this.size) throw sourceChanged(this.item, this.size, position);
      turn += 1;
      reading = this.readAt(turn, position);
      // Read ahead: a failure of the next read is reported when that chunk is asked for, not before.
      reading.catch(() => undefined);
      yield bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead);
    }
    if (position !== this.size) throw sourceChanged(this.item, this.size, position);
  }

  private readAt(turn: number, position: number): Promise<{ bytesRead: number; buffer: Buffer }> {
    const slot = turn % UPLOAD_BUFFERS;
    // A small file needs no more than its size and one byte (which shows that it has grown).
    this.buffers[slot] ??= Buffer.allocUnsafeSlow(Math.min(UPLOAD_CHUNK_BYTES, this.size + 1));
    const buffer = this.buffers[slot];
    return this.handle.read(buffer, 0, buffer.length, position).catch((error: unknown) => {
      throw fileSystemError(error, this.item.path);
    });
  }

  /** Closes the file once, after any read still under way. */
  close(): Promise<void> {
    this.closing ??= this.handle.close().catch(() => undefined);
    return this.closing;
  }
}

function sourceChanged(item: SendItem, expected: number, actual: number): TransferError {
  return new TransferError('permanent', 'protocol.common.sourceChanged', { name: item.name, expected, actual });
}

async function openSource(item: SendItem): Promise<FileHandle> {
  try {
    return await open(item.path, 'r');
  } catch (error) {
    throw sourceFailure(item, error);
  }
}

/** A queued file that cannot be opened or read: gone, or the disk's trouble. */
function sourceFailure(item: SendItem, error: unknown): TransferError {
  if (isMissing(error)) return new TransferError('permanent', 'protocol.local.sourceMissing', { path: item.path }, { cause: error });
  return fileSystemError(error, item.path);
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
