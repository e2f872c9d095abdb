import { ClientError, Metadata } from 'nice-grpc';
import type { sdk } from '../gen/sdk.js';
import type { GrpcCarrier } from '../grpc-carrier.js';
import { AsyncChannel } from '../internal/async-channel.js';
import { createCarrierClient } from '../internal/carrier-client.js';
import type { Http2GrpcCallOptions } from '../internal/http2/http2-grpc-client.js';
import type { ControlInMessage, RecordTransferInMessage } from '../internal/service-definition.js';

/** How one raw call ended. */
export interface RawCallEnd {
  status: 'ok' | 'error';
  code?: number;
  details?: string;
  trailer?: Metadata;
  endedAt: number;
}

/**
 * A hand-driven engine for wire-level tests: the test writes ControlIn/RecordTransferIn messages
 * itself (including hostile ones) and sees every response with its arrival order. The client is a
 * grpc-js one unless `carrier` says otherwise.
 */
export function openRawSession(
  port: number,
  metadata: Record<string, string> = {},
  carrier: GrpcCarrier = 'grpc-js',
  /** Extra call options: `deadline` (ms from the call's start) is honoured by the `http2` client. */
  callOptions: Http2GrpcCallOptions = {},
) {
  const { client, close: closeChannel } = createCarrierClient(carrier, `127.0.0.1:${port}`, undefined);
  const control = new AsyncChannel<ControlInMessage>(1024);
  const records = new AsyncChannel<RecordTransferInMessage>(1024);
  const timeline: string[] = [];
  const controlOut: sdk.ControlOut[] = [];
  const recordsOut: sdk.RecordTransferOut[] = [];
  const callMetadata = Metadata(metadata);

  const consume = async <T>(
    name: string,
    responses: AsyncIterable<T>,
    sink: T[],
    describe: (message: T) => string,
    getTrailer: () => Metadata | undefined,
  ): Promise<RawCallEnd> => {
    try {
      for await (const message of responses) {
        sink.push(message);
        timeline.push(`${name}:${describe(message)}`);
      }
      timeline.push(`${name}:end`);
      return { status: 'ok', endedAt: Date.now() };
    } catch (error) {
      timeline.push(`${name}:error`);
      if (error instanceof ClientError) {
        return {
          status: 'error',
          code: error.code,
          details: error.details,
          trailer: getTrailer(),
          endedAt: Date.now(),
        };
      }
      throw error;
    }
  };

  let controlTrailer: Metadata | undefined;
  let recordsTrailer: Metadata | undefined;
  const controlEnd = consume(
    'control',
    client.control(control, {
      ...callOptions,
      metadata: callMetadata,
      onTrailer: (trailer) => (controlTrailer = trailer),
    }),
    controlOut,
    (message) => (message as sdk.ControlOut).payload ?? 'none',
    () => controlTrailer,
  );
  const recordsEnd = consume(
    'records',
    client.recordTransfer(records, {
      ...callOptions,
      metadata: callMetadata,
      onTrailer: (trailer) => (recordsTrailer = trailer),
    }),
    recordsOut,
    (message) => {
      const typed = message as sdk.RecordTransferOut;
      if (typed.payload === 'outgoingRecords')
        return `records(${typed.outgoingRecords?.endOfChunk ? 'end' : 'part'})`;
      if (typed.payload === 'closeOutgoingAnchor') return `close(${typed.closeOutgoingAnchor?.name})`;
      return typed.payload ?? 'none';
    },
    () => recordsTrailer,
  );
  return {
    control,
    records,
    timeline,
    controlOut,
    recordsOut,
    controlEnd,
    recordsEnd,
    close() {
      control.close();
      records.close();
      closeChannel();
    },
  };
}

/** Engine constants the plugin requires, for hand-written init messages. */
export const testEngineConstants = {
  'Engine.Version': '2024.1',
  AlteryxExecutable: '/opt/engine',
  'Engine.WorkflowDirectory': '/tmp',
  'Engine.TempFilePath': '/tmp',
};
