import type { AirbyteLogLevel, AirbyteLogMessage } from '../protocol/airbyte-protocol';
import { logMessage } from '../protocol/message-factories';
import type { SourceLogger } from '../stream/source-logger';
import type { SecretMasker } from './secret-masker';

/**
 * A {@link SourceLogger} that queues LOG messages; the read loop drains the queue before each message
 * it yields, so logs keep their place among records on stdout.
 */
export class QueuedLogger implements SourceLogger {
  pending: AirbyteLogMessage[] = [];
  private readonly debugEnabled: boolean;
  private readonly masker: SecretMasker;

  constructor(masker: SecretMasker, debugEnabled: boolean) {
    this.masker = masker;
    this.debugEnabled = debugEnabled;
  }

  debug(message: string): void {
    if (this.debugEnabled) this.push('DEBUG', message);
  }
  info(message: string): void {
    this.push('INFO', message);
  }
  warn(message: string): void {
    this.push('WARN', message);
  }
  error(message: string): void {
    this.push('ERROR', message);
  }

  /** Queues an already built LOG message (masked). */
  pushMessage(message: AirbyteLogMessage): void {
    this.pending.push(maskLog(message, this.masker));
  }

  /** Returns and clears the queued messages. */
  drain(): AirbyteLogMessage[] {
    const drained = this.pending;
    this.pending = [];
    return drained;
  }

  private push(level: AirbyteLogLevel, message: string): void {
    this.pending.push(logMessage(level, this.masker.mask(message)));
  }
}

/** A copy of a LOG message with secrets masked in its text and stack trace. */
export function maskLog(message: AirbyteLogMessage, masker: SecretMasker): AirbyteLogMessage {
  if (!masker.active) return message;
  const log = { ...message.log, message: masker.mask(message.log.message) };
  if (log.stack_trace !== undefined) log.stack_trace = masker.mask(log.stack_trace);
  return { type: 'LOG', log };
}
