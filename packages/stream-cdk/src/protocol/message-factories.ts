import type {
  AirbyteCatalog,
  AirbyteCatalogMessage,
  AirbyteConnectionStatusMessage,
  AirbyteFailureType,
  AirbyteLogLevel,
  AirbyteLogMessage,
  AirbyteRecordMessage,
  AirbyteSpecMessage,
  AirbyteStateMessage,
  AirbyteStreamStatus,
  AirbyteTraceMessage,
  ConnectorSpecification,
  JsonObject,
  StreamDescriptor,
} from './airbyte-protocol';

/** Drops an empty namespace, as upstream does: `''` and undefined both mean "no namespace". */
export function streamDescriptor(name: string, namespace?: string): StreamDescriptor {
  return namespace ? { name, namespace } : { name };
}

/**
 * A RECORD message. `emittedAtMs` defaults to `Date.now()` (integer milliseconds).
 * `data` is used as is, not copied.
 */
export function recordMessage(
  stream: string,
  data: JsonObject,
  options: { namespace?: string; emittedAtMs?: number } = {},
): AirbyteRecordMessage {
  const record: AirbyteRecordMessage['record'] = {
    stream,
    data,
    emitted_at: options.emittedAtMs ?? Date.now(),
  };
  if (options.namespace) record.namespace = options.namespace;
  return { type: 'RECORD', record };
}

/**
 * A per-stream STATE message (`type: STREAM`). A null or undefined blob becomes `{}` because the
 * protocol reads a null `stream_state` as "reset this stream". `recordCount` is the number of
 * records of this stream since its previous STATE; omitted when undefined.
 */
export function streamStateMessage(
  descriptor: StreamDescriptor,
  streamState: JsonObject | null | undefined,
  recordCount?: number,
): AirbyteStateMessage {
  const state: AirbyteStateMessage['state'] = {
    type: 'STREAM',
    stream: {
      stream_descriptor: streamDescriptor(descriptor.name, descriptor.namespace),
      stream_state: streamState ?? {},
    },
  };
  if (recordCount !== undefined) state.sourceStats = { recordCount };
  return { type: 'STATE', state };
}

/** A LOG message at `level`. */
export function logMessage(level: AirbyteLogLevel, message: string, stackTrace?: string): AirbyteLogMessage {
  const log: AirbyteLogMessage['log'] = { level, message };
  if (stackTrace !== undefined) log.stack_trace = stackTrace;
  return { type: 'LOG', log };
}

/** A STREAM_STATUS trace. `emittedAtMs` defaults to `Date.now()`. */
export function streamStatusTrace(
  descriptor: StreamDescriptor,
  status: AirbyteStreamStatus,
  emittedAtMs: number = Date.now(),
): AirbyteTraceMessage {
  return {
    type: 'TRACE',
    trace: {
      type: 'STREAM_STATUS',
      emitted_at: emittedAtMs,
      stream_status: { stream_descriptor: streamDescriptor(descriptor.name, descriptor.namespace), status },
    },
  };
}

/** Fields of an ERROR trace besides its message. */
export interface ErrorTraceOptions {
  /** Defaults to `system_error`. */
  failureType?: AirbyteFailureType;
  internalMessage?: string;
  stackTrace?: string;
  streamDescriptor?: StreamDescriptor;
  /** Defaults to `Date.now()`. */
  emittedAtMs?: number;
}

/** An ERROR trace. */
export function errorTrace(message: string, options: ErrorTraceOptions = {}): AirbyteTraceMessage {
  const error: Extract<AirbyteTraceMessage['trace'], { type: 'ERROR' }>['error'] = {
    message,
    failure_type: options.failureType ?? 'system_error',
  };
  if (options.internalMessage !== undefined) error.internal_message = options.internalMessage;
  if (options.stackTrace !== undefined) error.stack_trace = options.stackTrace;
  if (options.streamDescriptor) {
    error.stream_descriptor = streamDescriptor(
      options.streamDescriptor.name,
      options.streamDescriptor.namespace,
    );
  }
  return { type: 'TRACE', trace: { type: 'ERROR', emitted_at: options.emittedAtMs ?? Date.now(), error } };
}

/** A SPEC message. */
export function specMessage(spec: ConnectorSpecification): AirbyteSpecMessage {
  return { type: 'SPEC', spec };
}

/** A CONNECTION_STATUS message. */
export function connectionStatusMessage(
  succeeded: boolean,
  message?: string,
): AirbyteConnectionStatusMessage {
  const connectionStatus: AirbyteConnectionStatusMessage['connectionStatus'] = {
    status: succeeded ? 'SUCCEEDED' : 'FAILED',
  };
  if (message !== undefined) connectionStatus.message = message;
  return { type: 'CONNECTION_STATUS', connectionStatus };
}

/** A CATALOG message. */
export function catalogMessage(catalog: AirbyteCatalog): AirbyteCatalogMessage {
  return { type: 'CATALOG', catalog };
}
