import { type FileHandle, open } from 'node:fs/promises';
import type { DataRecord } from '../data-source';
import type { Sink } from './sink';
import type { WriterBatch } from './writer-batch';

/** Options of {@link createJsonLinesFileSink}. */
export interface JsonLinesFileSinkOptions {
  /** Appended to (created when missing). */
  filePath: string;
  /** Flush each batch to disk (`fdatasync`) before resolving. Defaults to `true`. */
  syncEachBatch?: boolean;
  /**
   * On first write, cut an unfinished last line left by a process killed mid-write, so the file stays
   * valid JSON lines (the runner writes that batch again from the saved state). Defaults to `true`.
   */
  repairPartialLastLine?: boolean;
}

const TAIL_CHUNK_BYTES = 64 * 1024;

// Finds the length of the file up to and including its last newline.
async function completeLinesLength(file: FileHandle): Promise<number> {
  const { size } = await file.stat();
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

async function openForAppend(filePath: string, repair: boolean): Promise<FileHandle> {
  if (repair) {
    let existing: FileHandle | undefined;
    try {
      existing = await open(filePath, 'r+');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (existing !== undefined) {
      try {
        const { size } = await existing.stat();
        const keep = await completeLinesLength(existing);
        if (keep < size) await existing.truncate(keep);
      } finally {
        await existing.close();
      }
    }
  }
  return open(filePath, 'a');
}

/**
 * A {@link Sink} appending one JSON document per line to a file, for local runs. A batch resolves
 * once written (and synced, by default), so the runner may then save the state.
 */
export function createJsonLinesFileSink(
  options: JsonLinesFileSinkOptions,
): Sink & { close(): Promise<void> } {
  let handle: Promise<FileHandle> | undefined;
  const syncEachBatch = options.syncEachBatch ?? true;
  const repair = options.repairPartialLastLine ?? true;
  return {
    encodeRecord(record: DataRecord): string {
      return `${JSON.stringify(record)}\n`;
    },
    async sendBatch(batch: WriterBatch): Promise<{ bytes: number }> {
      handle ??= openForAppend(options.filePath, repair);
      let file: FileHandle;
      try {
        file = await handle;
      } catch (error) {
        handle = undefined;
        throw error;
      }
      const bytes = Buffer.from(batch.body, 'utf8');
      await file.appendFile(bytes);
      if (syncEachBatch) await file.datasync();
      return { bytes: bytes.length };
    },
    async close(): Promise<void> {
      const pending = handle;
      handle = undefined;
      if (pending !== undefined) await (await pending).close();
    },
  };
}
