import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { InputError } from '../errors.js';
import { decodeUtf8Input } from './decode-utf8-input.js';

/** Bytes read per system call once a file outgrows what `fstat` announced (pipes, devices). */
const CHUNK_BYTES = 1024 * 1024;

/**
 * Reads a text input file (snapshot, config, driftignore) as UTF-8 with a cap on the bytes
 * actually read — not on the size the file system reports, which is 0 for `/dev/zero`, a pipe or
 * `/dev/stdin`. Stops at `maxBytes + 1` and fails naming the limit, so such an input cannot read
 * without end. A UTF-8 byte order mark is dropped; UTF-16 and invalid UTF-8 are refused by name
 * (see {@link decodeUtf8Input}).
 *
 * @example
 * const text = readInputText('baseline.json', { maxBytes: 400 * 1024 * 1024, limitHint: 'split the scope' });
 */
export function readInputText(
  file: string,
  options: { maxBytes: number; label?: string; limitHint?: string },
): string {
  const label = options.label ?? file;
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    throw unreadable(label, error);
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory())
      throw new InputError('input.unreadable', `${label}: is a directory, expected a file`);
    // Regular files say their size: fail before reading a byte, and read them in one call.
    if (stat.isFile() && stat.size > options.maxBytes) throw tooLarge(label, options, stat.size);
    const bytes = readCapped(fd, label, options, stat.isFile() ? stat.size : 0);
    const text = decodeUtf8Input(bytes, label);
    release(bytes);
    return text;
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw unreadable(label, error);
  } finally {
    closeSync(fd);
  }
}

/**
 * A buffer for a whole input whose memory can be handed back the moment it is decoded. The
 * decoded text is a copy; the bytes are dead weight from then on, but an ordinary buffer's
 * memory returns only when a full GC finds it unreferenced. Reading hundreds of MiB starts V8's
 * incremental marking (the allocation counts as external memory), and that marking finds the
 * bytes still in use by the decoder — so in `driftwatch diff` the second file's bytes (300 MiB on
 * the bench) stayed resident to the end, beside both parsed trees. A resizable `ArrayBuffer`
 * (ES2024; V8 reserves its pages and commits them as they are written) gives them back to the
 * system on `resize(0)`, without waiting for a GC and without changing when V8 collects.
 * Small inputs take an ordinary buffer (Node's pool); there is nothing worth handing back.
 */
function wholeInputBuffer(size: number): Buffer {
  if (size < RELEASE_MIN_BYTES) return Buffer.allocUnsafe(size);
  return Buffer.from(new ResizableArrayBuffer(size, { maxByteLength: size }));
}

/** Hands the bytes' memory back when they sit in a {@link wholeInputBuffer}; else a no-op. */
function release(bytes: Buffer): void {
  const buffer = bytes.buffer as ResizableArrayBuffer;
  if (buffer.resizable === true) buffer.resize(0);
}

/** Below this, a whole-input buffer is not worth handing back early. */
const RELEASE_MIN_BYTES = 1024 * 1024;

/** ES2024's resizable `ArrayBuffer` (V8 11, Node 20); the project's `lib` stops at ES2023. */
type ResizableArrayBuffer = ArrayBuffer & {
  readonly resizable: boolean;
  resize(byteLength: number): void;
};
const ResizableArrayBuffer = ArrayBuffer as unknown as new (
  byteLength: number,
  options: { maxByteLength: number },
) => ResizableArrayBuffer;

function readCapped(
  fd: number,
  label: string,
  options: { maxBytes: number; limitHint?: string },
  sizeHint: number,
): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  // One byte more than announced, so a regular file's end is seen without a second buffer.
  let chunk = wholeInputBuffer(Math.min(sizeHint, options.maxBytes) + 1);
  let used = 0;
  for (;;) {
    if (used === chunk.length) {
      chunks.push(chunk);
      chunk = Buffer.allocUnsafe(CHUNK_BYTES);
      used = 0;
    }
    const n = readOnce(fd, chunk, used);
    if (n === 0) break;
    used += n;
    total += n;
    if (total > options.maxBytes) throw tooLarge(label, options);
  }
  chunks.push(chunk.subarray(0, used));
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total);
}

/** One `read(2)`; a non-blocking pipe (an inherited stdin) answers EAGAIN until data arrives. */
function readOnce(fd: number, buffer: Buffer, offset: number): number {
  for (;;) {
    try {
      return readSync(fd, buffer, offset, buffer.length - offset, null);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
}

function tooLarge(
  label: string,
  options: { maxBytes: number; limitHint?: string },
  size?: number,
): InputError {
  const what =
    size === undefined
      ? `more than ${formatSize(options.maxBytes)} read; stopped at the limit driftwatch reads in one file`
      : `${formatSize(size)} is larger than the ${formatSize(options.maxBytes)} driftwatch reads in one file`;
  return new InputError(
    'input.too-large',
    `${label}: ${what}${options.limitHint ? `; ${options.limitHint}` : ''}`,
    { details: { source: label, maxBytes: options.maxBytes } },
  );
}

function unreadable(label: string, error: unknown): InputError {
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === 'ENOENT'
      ? 'no such file'
      : code === 'EACCES'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'is a directory'
          : (code ?? (error as Error).message);
  return new InputError('input.unreadable', `${label}: cannot read (${reason})`, { cause: error });
}

/** "400 MiB", "1.5 KiB", "12 bytes": the unit that keeps the figure readable. */
export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${trim(bytes / 1024 / 1024)} MiB`;
  if (bytes >= 1024) return `${trim(bytes / 1024)} KiB`;
  return `${bytes} bytes`;
}

const trim = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));
