import { constants } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { DataRecord } from '../data-source';
import { CheckpointMismatchError } from '../errors/checkpoint-mismatch-error';
import { ConfigError } from '../errors/config-error';
import { compactJsonStringify } from '../internal/python-json';
import { checkNonFiniteNumbers, type NonFiniteNumbers } from './json-record-encoding';
import type { Sink, SinkCheckpoint } from './sink';
import type { WriterBatch } from './writer-batch';

/** Options of {@link createJsonLinesFileSink}. */
export interface JsonLinesFileSinkOptions {
  /** Appended to (created on the first batch when missing). */
  filePath: string;
  /**
   * Flush each batch to disk (`fdatasync`) before resolving. Defaults to `true`. With `false`, a
   * checkpoint (the runner asks for one after every batch) still syncs first.
   */
  syncEachBatch?: boolean;
  /**
   * When no checkpoint is restored (a fresh run, or a writer on its own), cut an unfinished last line
   * left by a process killed mid-write before the first append, so the file stays valid JSON lines.
   * Defaults to `true`.
   */
  repairPartialLastLine?: boolean;
  /** How NaN and the infinities are written. Defaults to `'python'` (`NaN`, `Infinity`, `-Infinity`). */
  nonFiniteNumbers?: NonFiniteNumbers;
}

/** What {@link createJsonLinesFileSink}'s checkpoints hold. */
type JsonLinesCheckpoint = {
  readonly type: 'json-lines';
  /** Absolute path of the file. */
  readonly filePath: string;
  /** Bytes of the file that belong to committed batches. */
  readonly bytes: number;
};

const TAIL_CHUNK_BYTES = 64 * 1024;

// Finds the length of the file up to and including its last newline.
async function completeLinesLength(file: FileHandle, size: number): Promise<number> {
  let end = size;
  const buffer = Buffer.alloc(TAIL_CHUNK_BYTES);
  while (end > 0) {
    const start = Math.max(0, end - TAIL_CHUNK_BYTES);
    const { bytesRead } = await file.read(buffer, 0, end - start, start);
    const newline = buffer.subarray(0, bytesRead).lastIndexOf(0x0a);
    if (newline !== -1) return start + newline + 1;
    end = start;
  }
  return 0;
}

async function sizeOf(filePath: string): Promise<number | undefined> {
  let file: FileHandle;
  try {
    file = await open(filePath, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return (await file.stat()).size;
  } finally {
    await file.close();
  }
}

async function writeFully(file: FileHandle, bytes: Buffer, position: number): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    const { bytesWritten } = await file.write(bytes, offset, bytes.length - offset, position + offset);
    offset += bytesWritten;
  }
}

function parseCheckpoint(checkpoint: SinkCheckpoint): JsonLinesCheckpoint {
  const { type, filePath, bytes } = checkpoint as Partial<JsonLinesCheckpoint>;
  if (
    type !== 'json-lines' ||
    typeof filePath !== 'string' ||
    !Number.isSafeInteger(bytes) ||
    (bytes ?? -1) < 0
  ) {
    throw new CheckpointMismatchError(
      `the state file holds a checkpoint of another kind of sink (${JSON.stringify(checkpoint)}); resume with the sink it was written with, or remove the state file`,
    );
  }
  return { type, filePath, bytes: bytes as number };
}

/**
 * A {@link Sink} appending one JSON document per line to a file (values written as
 * `encodeJsonRecord` writes them). A batch resolves once written (and synced, by default).
 *
 * Exactly once with the runner and a state file: the file's committed length is saved with the state
 * after every batch (synced first), and a resumed run cuts the file back to that length before it
 * writes, so a kill at any point leaves no duplicate and no gap. Batches are written at explicit
 * offsets one at a time, so a retried batch overwrites its own failed attempt.
 */
export function createJsonLinesFileSink(
  options: JsonLinesFileSinkOptions,
): Sink & { close(): Promise<void> } {
  if (typeof options?.filePath !== 'string' || options.filePath === '') {
    throw new ConfigError('filePath must be a non-empty string');
  }
  const filePath = options.filePath;
  const absolutePath = resolve(filePath);
  const syncEachBatch = options.syncEachBatch ?? true;
  const repair = options.repairPartialLastLine ?? true;
  const nonFiniteNumbers = checkNonFiniteNumbers(options.nonFiniteNumbers);
  let file: FileHandle | undefined;
  // Bytes of the file that hold complete batches; undefined until measured or restored.
  let committedBytes: number | undefined;
  // Furthest byte a (possibly failed) write reached, to cut what a failed attempt left behind.
  let writtenEnd = 0;
  let synced = true;
  // One operation at a time, in call order.
  let tail: Promise<unknown> = Promise.resolve();
  const serialised = <T>(operation: () => Promise<T>): Promise<T> => {
    const result = tail.then(operation, operation);
    tail = result.catch(() => undefined);
    return result;
  };

  // Without a restored checkpoint: keep what is there, minus an unfinished last line.
  const measure = async (): Promise<number> => {
    const size = await sizeOf(filePath);
    if (size === undefined || size === 0 || !repair) return size ?? 0;
    const handle = await open(filePath, 'r');
    try {
      return await completeLinesLength(handle, size);
    } finally {
      await handle.close();
    }
  };

  const openFile = async (): Promise<FileHandle> => {
    if (file !== undefined) return file;
    committedBytes ??= await measure();
    // Read-write without truncation or O_APPEND: batches go at explicit offsets.
    const handle = await open(filePath, constants.O_RDWR | constants.O_CREAT, 0o666);
    try {
      const { size } = await handle.stat();
      if (size < committedBytes) {
        throw new CheckpointMismatchError(
          `${absolutePath} holds ${size} bytes, fewer than the ${committedBytes} committed by the run being resumed: it was changed outside the run; remove the state file to start over`,
        );
      }
      if (size > committedBytes) await handle.truncate(committedBytes);
    } catch (error) {
      await handle.close();
      throw error;
    }
    file = handle;
    writtenEnd = committedBytes;
    return handle;
  };

  return {
    encodeRecord(record: DataRecord): string {
      return `${compactJsonStringify(record, { nonFiniteNumbers })}\n`;
    },

    sendBatch(batch: WriterBatch): Promise<{ bytes: number }> {
      return serialised(async () => {
        const handle = await openFile();
        const start = committedBytes as number;
        const bytes = Buffer.from(batch.body, 'utf8');
        writtenEnd = Math.max(writtenEnd, start + bytes.length);
        await writeFully(handle, bytes, start);
        // A failed attempt of a longer batch may have written past this one's end.
        if (writtenEnd > start + bytes.length) await handle.truncate(start + bytes.length);
        writtenEnd = start + bytes.length;
        synced = false;
        if (syncEachBatch) {
          await handle.datasync();
          synced = true;
        }
        committedBytes = start + bytes.length;
        return { bytes: bytes.length };
      });
    },

    checkpoint(): Promise<SinkCheckpoint> {
      return serialised(async () => {
        committedBytes ??= await measure();
        if (file !== undefined && !synced) {
          await file.datasync();
          synced = true;
        }
        const checkpoint: JsonLinesCheckpoint = {
          type: 'json-lines',
          filePath: absolutePath,
          bytes: committedBytes,
        };
        return checkpoint;
      });
    },

    restoreCheckpoint(checkpoint: SinkCheckpoint | undefined): Promise<string | undefined> {
      return serialised(async () => {
        if (checkpoint === undefined) {
          // A fresh run: start from what the file holds (a sink reused across runs keeps its place).
          if (file === undefined) committedBytes = await measure();
          return undefined;
        }
        const saved = parseCheckpoint(checkpoint);
        if (saved.filePath !== absolutePath) {
          throw new CheckpointMismatchError(
            `the state file was committed with output ${saved.filePath}, but this run writes ${absolutePath}; resume with the same output, or remove the state file to start over`,
          );
        }
        const size = file === undefined ? ((await sizeOf(filePath)) ?? 0) : (await file.stat()).size;
        if (size < saved.bytes) {
          throw new CheckpointMismatchError(
            `${absolutePath} holds ${size} bytes, fewer than the ${saved.bytes} the state file committed: it was changed outside the run; remove the state file to start over`,
          );
        }
        committedBytes = saved.bytes;
        if (size === saved.bytes) return undefined;
        // Cut now (not at the first batch), so a run that finds nothing new still leaves the file exact.
        const handle = file ?? (await openFile());
        await handle.truncate(saved.bytes);
        writtenEnd = saved.bytes;
        await handle.datasync();
        synced = true;
        return `cut ${size - saved.bytes} bytes a killed run wrote after its last committed batch from ${absolutePath}`;
      });
    },

    async close(): Promise<void> {
      await tail;
      const handle = file;
      file = undefined;
      if (handle !== undefined) await handle.close();
    },
  };
}
