import type { JsonObject, SyncMode } from '../protocol/airbyte-protocol';
import { hasCheckpointState } from '../stream/checkpoint-mixin';
import type { SourceLogger } from '../stream/source-logger';
import type { Stream } from '../stream/stream';
import { QueuedLogger } from './queued-logger';
import { readStream } from './read-stream';
import { SecretMasker } from './secret-masker';

/**
 * Every record of `stream` from a fresh start, without any state (used to read the parents of
 * substreams). A resumable parent is paginated to its last page. Its LOG lines go to `logger`.
 */
export async function* readStreamRecords(
  stream: Stream,
  logger: SourceLogger,
  syncMode: SyncMode = 'full_refresh',
): AsyncGenerator<JsonObject> {
  const queue = logger instanceof QueuedLogger ? logger : new QueuedLogger(new SecretMasker([]), true);
  if (hasCheckpointState(stream)) stream.state = {};
  const messages = readStream(stream, {
    syncMode,
    cursorField: stream.cursorField.length > 0 ? stream.cursorField : undefined,
    streamState: {},
    logger: queue,
    masker: new SecretMasker([]),
    debug: false,
    checkpoint: undefined,
    emitRunningStatus: false,
    resumableFullRefresh: undefined,
  });
  for await (const batch of messages) {
    for (const message of batch) {
      if (message.type === 'RECORD') {
        yield message.record.data;
      } else if (message.type === 'LOG' && queue !== logger) {
        forwardLog(logger, message.log.level, message.log.message);
      } else if (message.type === 'LOG') {
        // Keep the parent's log lines in the child's output.
        queue.pushMessage(message);
      }
    }
  }
}

function forwardLog(logger: SourceLogger, level: string, text: string): void {
  if (level === 'DEBUG' || level === 'TRACE') logger.debug(text);
  else if (level === 'WARN') logger.warn(text);
  else if (level === 'ERROR' || level === 'FATAL') logger.error(text);
  else logger.info(text);
}
