// Moving bytes: parallel requests sized to the server's own limits (ssh2's fastPut/fastGet), or one
// request at a time through streams for servers that mishandle parallel transfers (`serial`).
// Progress is reported as bytes go; an abort drops the connection (parallel transfers have no other
// way to stop) or destroys the streams (serial).
import { createReadStream, createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { TransferOptions } from '../contract.js';
import type { SftpLink } from './connect.js';

/** Requests in flight for one file: at the server's maximum chunk, about 16 MiB of buffers. */
const CONCURRENCY = 64;
const SERIAL_HIGH_WATER_MARK = 256 * 1024;

export interface TransferRequest {
  link: SftpLink;
  localPath: string;
  remotePath: string;
  serial: boolean;
  options: TransferOptions;
}

/** Writes the local file to `remotePath` (created or truncated). Resolves with the bytes written. */
export async function upload(request: TransferRequest): Promise<number> {
  const { link, localPath, remotePath, options } = request;
  const progress = progressReporter(options);
  if (request.serial) {
    const remote = link.client.createWriteStream(remotePath, { flags: 'w' });
    await pipeline(createReadStream(localPath, { highWaterMark: SERIAL_HIGH_WATER_MARK }), counting(progress), remote, signalOption(options));
    return progress.done();
  }
  await whileAbortable(link, options.signal, () =>
    link.client.fastPut(localPath, remotePath, {
      chunkSize: link.writeChunk,
      concurrency: CONCURRENCY,
      step: (total) => progress.report(total),
    }),
  );
  return progress.done();
}

/** Writes `remotePath` into the local file `localPath` and flushes it to disk. */
export async function download(request: TransferRequest): Promise<number> {
  const { link, localPath, remotePath, options } = request;
  const progress = progressReporter(options);
  if (request.serial) {
    const remote = link.client.createReadStream(remotePath, { highWaterMark: SERIAL_HIGH_WATER_MARK });
    await pipeline(remote, counting(progress), createWriteStream(localPath), signalOption(options));
  } else {
    await whileAbortable(link, options.signal, () =>
      link.client.fastGet(remotePath, localPath, {
        chunkSize: link.readChunk,
        concurrency: CONCURRENCY,
        step: (total) => progress.report(total),
      }),
    );
  }
  await flushToDisk(localPath);
  return progress.done();
}

export async function flushToDisk(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** The work runs until it ends or the signal fires; then the connection is dropped to stop it. */
async function whileAbortable<T>(link: SftpLink, signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> {
  if (signal === undefined) return work();
  signal.throwIfAborted();
  const onAbort = (): void => link.destroy();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    return await work();
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

interface ProgressReporter {
  report(total: number): void;
  add(bytes: number): void;
  /** Reports the final count (even 0) once and returns it. */
  done(): number;
}

function progressReporter(options: TransferOptions): ProgressReporter {
  let bytes = 0;
  let reported = -1;
  const emit = (): void => {
    if (bytes === reported) return;
    reported = bytes;
    options.onProgress?.(bytes);
  };
  return {
    report(total) {
      // Parallel requests complete out of order; the count only ever grows.
      if (total <= bytes) return;
      bytes = total;
      emit();
    },
    add(chunk) {
      bytes += chunk;
      emit();
    },
    done() {
      emit();
      return bytes;
    },
  };
}

function counting(progress: ProgressReporter): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      progress.add(chunk.length);
      callback(null, chunk);
    },
  });
}

function signalOption(options: TransferOptions): { signal: AbortSignal } | Record<string, never> {
  return options.signal === undefined ? {} : { signal: options.signal };
}
