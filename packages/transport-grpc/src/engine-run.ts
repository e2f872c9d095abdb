import { ChunkAssembler, ChunkerError, encodeChunks } from '@sdk/arrow-chunker';
import { RecordBatch, type Schema, Table } from 'apache-arrow';
import type { Client } from 'nice-grpc';
import { Metadata } from 'nice-grpc-common';
import type { DcmAnswer, DcmObject, DcmRequest } from './dcm-request.js';
import { TransportError } from './errors/transport-error.js';
import type { sdk } from './gen/sdk.js';
import { AsyncChannel } from './internal/async-channel.js';
import { reassemblyError } from './internal/chunk-errors.js';
import { dcmOperationName, parseDcmRequest } from './internal/dcm-wire.js';
import { describeThrown } from './internal/describe-thrown.js';
import { asTransportError, fromClientError } from './internal/error-status.js';
import { payloadOf, recordTransferOutPayloads } from './internal/payload-of.js';
import { PendingStreamBudget } from './internal/pending-stream-budget.js';
import { assemblerPiecesOf } from './internal/records-codec.js';
import { deserializeSchema } from './internal/schema-bytes.js';
import { SerialLock } from './internal/serial-lock.js';
import {
  authMetadataKey,
  type ControlInMessage,
  featureOrderedCompletion,
  featuresMetadataKey,
  incomingRecordsMessage,
  type RecordTransferInMessage,
  type SdkToolV2Definition,
  UpdateModeWire,
} from './internal/service-definition.js';
import { objectToStruct } from './internal/struct-value.js';
import { tableBytes } from './internal/table-bytes.js';
import { WriteCompletions } from './internal/write-completion.js';
import type { UpdateMode } from './plugin-environment.js';

/** Kind of a message the plugin sent for the user. */
export type PluginMessageKind =
  | 'info'
  | 'warning'
  | 'error'
  | 'file-input'
  | 'file-output'
  | 'config-xml'
  | 'other';

/** A message the plugin sent (`ControlOut.output_message`). */
export interface PluginMessage {
  /** Kind, from `OutputMessageTypes`. */
  readonly kind: PluginMessageKind;
  /** The text. */
  readonly message: string;
  /**
   * `OutputMessageData.priority` (an `OutputMessagePriorityFlags` value; see `OutputMessagePriority`).
   * 0 (`OMPF_None`) when the plugin set none.
   */
  readonly priority: number;
}

/** One table the plugin wrote to an outgoing anchor (one `writeToAnchor` call). */
export interface PluginOutput {
  /** Outgoing anchor name. */
  readonly anchorName: string;
  /** The decoded table. */
  readonly table: Table;
}

/** An incoming anchor to declare to the plugin. */
export interface IncomingAnchorSpec {
  /** Anchor name, e.g. `"Input"`. */
  readonly name: string;
  /** Connection names. Defaults to `["#1"]`. */
  readonly connections?: readonly string[];
}

/** An outgoing anchor to declare to the plugin. */
export interface OutgoingAnchorSpec {
  /** Anchor name, e.g. `"Output"`. */
  readonly name: string;
  /** Downstream connections announced to the plugin. Defaults to 1. */
  readonly numConnections?: number;
}

/** Options of a run (`PluginConnection.startRun`). Byte limits in bytes, durations in milliseconds. */
export interface EngineRunOptions {
  /** Tool configuration XML. Defaults to `"<Configuration />"`. */
  configXml?: string;
  /** Incoming anchors and their connections. Defaults to none. */
  incomingAnchors?: readonly IncomingAnchorSpec[];
  /** Outgoing anchors. Defaults to none. */
  outgoingAnchors?: readonly OutgoingAnchorSpec[];
  /** Engine constants, merged over defaults for the four the AMP SDK requires. */
  engineConstants?: Readonly<Record<string, string>>;
  /** `run` (default), or `full`/`quick` for update-only mode. */
  updateMode?: UpdateMode;
  /** Cancels the run: both calls are cancelled and `finished` rejects with `TRANSPORT_CANCELLED`. */
  signal?: AbortSignal;
  /** Deadline for the whole run; `finished` rejects with `TRANSPORT_TIMEOUT`. Defaults to none. */
  timeoutMs?: number;
  /**
   * Answers `io.translateMsg`. Defaults to the string with `%1`, `%2`... replaced by the values. A
   * translate that throws ends the run (`TRANSPORT_PROTOCOL`, the thrown error as `cause`).
   */
  translate?: (unlocalized: string, interpolation: readonly string[]) => string | Promise<string>;
  /**
   * Answers `io.decryptPassword`. Defaults to answering with the value unchanged: this engine holds no
   * vault, and the wire has no way to refuse (`PasswordData` carries only the text). Since the wire cannot
   * carry a failure either, a handler that throws ends the run (`TRANSPORT_PROTOCOL`, the thrown error as
   * `cause`) and the plugin's call rejects with `TRANSPORT_CANCELLED`.
   */
  decryptPassword?: (encrypted: string) => string | Promise<string>;
  /**
   * Answers the plugin's DCM calls (`getConnection`, `getWriteLock`, ...). Defaults to
   * `{ success: false, response: { message } }` for every request: this engine has no Data Connection
   * Manager. A handler that throws (or returns something that is not a {@link DcmAnswer}) is answered
   * `success: false` with the error's text as `response.message`, so the plugin's call rejects with
   * `TRANSPORT_DCM_FAILED`; the run goes on.
   */
  dcm?: (request: DcmRequest) => DcmAnswer | Promise<DcmAnswer>;
  /** Called for every message the plugin sends, in order. Defaults to none (they are kept in `messages`). */
  onMessage?: (message: PluginMessage) => void;
  /**
   * Called for every `update_progress` the plugin sends, with its fraction (0 to 1 from a well-behaved
   * plugin; passed on as received). The latest one is also `EngineRun.progress`. Plugins of this package
   * send progress only when `engineConstants['Engine.Version']` is at least `progressEngineVersion`
   * (this engine's default, 2024.1.0.0, is). Defaults to none.
   */
  onProgress?: (fraction: number) => void;
  /** Largest `IncomingRecords.data` piece sent. Defaults to 1,000,000, as the AMP engine expects. */
  maxChunkBytes?: number;
  /** Largest reassembled output stream accepted. Defaults to 268,435,456 (256 MiB). */
  maxStreamBytes?: number;
  /**
   * Bytes of incomplete output streams held at once, summed over every outgoing anchor (each one also
   * capped by `maxStreamBytes`). A half-received stream cannot be paused, so this is a hard limit:
   * passing it fails the run with `TRANSPORT_LIMIT_EXCEEDED` naming the anchor. Defaults to
   * 1,073,741,824 (1 GiB).
   */
  maxPendingStreamBytes?: number;
  /** Decoded output buffered for the `outputs` reader before reading pauses. Defaults to 67,108,864 (64 MiB). */
  outputBufferBytes?: number;
}

/** What a finished run reports. */
export interface EngineRunResult {
  /** Every message the plugin sent, in order. */
  readonly messages: readonly PluginMessage[];
  /** Schemas pushed with `pushOutgoingMetadata`, by anchor. */
  readonly outgoingSchemas: ReadonlyMap<string, Schema>;
  /** Anchors the plugin closed, in order. */
  readonly closedAnchors: readonly string[];
  /** The last `update_progress` fraction the plugin sent, or undefined when it sent none. */
  readonly progress: number | undefined;
}

const defaultConstants: Record<string, string> = {
  'Engine.Version': '2024.1.0.0',
  AlteryxExecutable: process.cwd(),
  'Engine.WorkflowDirectory': process.cwd(),
  'Engine.TempFilePath': process.env.TMPDIR ?? '/tmp',
  ToolId: '1',
};

const messageKinds: Record<number, PluginMessageKind> = {
  1: 'info',
  2: 'warning',
  3: 'error',
  8: 'file-input',
  9: 'file-output',
  11: 'config-xml',
};

const noDcmAnswer: DcmAnswer = {
  success: false,
  response: { message: 'this engine has no Data Connection Manager (no `dcm` handler in the run options)' },
};

/** A handler's answer checked and encoded; anything malformed throws and is answered as a failure. */
function dcmAnswerMessage(answer: unknown): {
  success: boolean;
  response: ReturnType<typeof objectToStruct>;
} {
  const candidate = answer as Partial<DcmAnswer> | null | undefined;
  if (typeof candidate !== 'object' || candidate === null || typeof candidate.success !== 'boolean') {
    throw new TypeError('the dcm handler must return { success: boolean, response?: object }');
  }
  return {
    success: candidate.success,
    response: objectToStruct(candidate.response ?? {}, 'dcm handler response'),
  };
}

function defaultTranslate(unlocalized: string, interpolation: readonly string[]): string {
  return unlocalized.replace(/%(\d+)/g, (whole, index: string) => interpolation[Number(index) - 1] ?? whole);
}

/**
 * Wiring a connection hands to a run. Not exported from the package entry, yet kept in the emitted
 * declarations (not stripped as internal), because the constructor's declaration names it.
 */
export interface EngineRunWiring {
  client: Client<SdkToolV2Definition>;
  authToken: string | undefined;
  /** Rewrites a failure, e.g. into `TRANSPORT_PLUGIN_EXITED` when the plugin process died. */
  explainFailure: (error: TransportError) => Promise<TransportError>;
  onSettled: (run: EngineRun) => void;
}

/**
 * The engine side of one run: opens Control and RecordTransfer, initialises the plugin, sends tables
 * (chunked, each connection's pieces contiguous, connections interleaved), answers translations, and
 * yields what the plugin writes. Consume `outputs` while sending: output that nobody reads stops
 * reading from the plugin (backpressure), which in turn stops a pass-through plugin from reading input.
 */
export class EngineRun {
  /** Tables in arrival order. Iterate once; ends when the plugin has closed RecordTransfer. */
  readonly outputs: AsyncIterable<PluginOutput>;
  /** Resolves once the plugin confirmed completion and both streams ended; rejects with a TransportError. */
  readonly finished: Promise<EngineRunResult>;

  private readonly messageList: PluginMessage[] = [];
  private readonly schemas = new Map<string, Schema>();
  private readonly closedAnchors: string[] = [];
  private lastProgress: number | undefined;
  private readonly controlIn = new AsyncChannel<ControlInMessage>(4096);
  private readonly recordIn: AsyncChannel<RecordTransferInMessage>;
  private readonly outputChannel: AsyncChannel<PluginOutput>;
  private readonly sendLock = new SerialLock();
  private readonly abortController = new AbortController();
  private readonly declared = new Map<string, Set<string>>();
  private readonly completed = new Set<string>();
  private readonly assemblers = new Map<string, ChunkAssembler>();
  /** Bytes of incomplete output streams held by every anchor's assembler, together. */
  private readonly pendingStreams: PendingStreamBudget;
  /** When the last piece of each `send`/`writeToAnchor` is written (one abort listener for all). */
  private readonly writeCompletions: WriteCompletions;
  private failure: TransportError | undefined;
  private notified = false;
  private confirmed = false;
  private readonly maxChunkBytes: number;
  private readonly maxStreamBytes: number;
  private readonly cleanups: Array<() => void> = [];
  private readonly declaredOutgoingAnchors: ReadonlySet<string>;

  constructor(
    private readonly wiring: EngineRunWiring,
    private readonly options: EngineRunOptions = {},
  ) {
    this.maxChunkBytes = options.maxChunkBytes ?? 1_000_000;
    this.maxStreamBytes = options.maxStreamBytes ?? 256 * 1024 * 1024;
    const maxPendingStreamBytes = options.maxPendingStreamBytes ?? 1024 * 1024 * 1024;
    for (const [name, value] of [
      ['maxChunkBytes', this.maxChunkBytes],
      ['maxStreamBytes', this.maxStreamBytes],
      ['maxPendingStreamBytes', maxPendingStreamBytes],
    ] as const) {
      if (!Number.isInteger(value) || value < 1) {
        throw new TransportError('TRANSPORT_CONFIG', `${name} must be a positive integer, got ${value}`);
      }
    }
    this.pendingStreams = new PendingStreamBudget(maxPendingStreamBytes, 'outgoing anchor');
    this.writeCompletions = new WriteCompletions(this.abortController.signal);
    this.recordIn = new AsyncChannel<RecordTransferInMessage>(
      4 * 1024 * 1024,
      (message) => (message.incomingRecords?.data?.byteLength ?? 0) + 64,
    );
    this.outputChannel = new AsyncChannel<PluginOutput>(
      options.outputBufferBytes ?? 64 * 1024 * 1024,
      (output) => tableBytes(output.table),
    );
    this.outputs = this.outputChannel;
    for (const anchor of options.incomingAnchors ?? []) {
      this.declared.set(anchor.name, new Set(anchor.connections ?? ['#1']));
    }
    this.declaredOutgoingAnchors = new Set((options.outgoingAnchors ?? []).map((anchor) => anchor.name));
    this.watchSignals();
    this.finished = this.run();
    // `finished` is also surfaced through every send; an unobserved rejection must not crash the host.
    this.finished.catch(() => undefined);
  }

  /** Messages received so far. */
  get messages(): readonly PluginMessage[] {
    return this.messageList;
  }

  /**
   * Largest sum of incomplete output stream bytes held at once so far, in bytes (memory-bound
   * diagnostics; never above `maxPendingStreamBytes`).
   */
  get pendingStreamBytesHighWater(): number {
    return this.pendingStreams.highWaterBytes;
  }

  /** The last `update_progress` fraction the plugin sent so far, or undefined. */
  get progress(): number | undefined {
    return this.lastProgress;
  }

  /** Outgoing schemas received so far, by anchor. */
  get outgoingSchemas(): ReadonlyMap<string, Schema> {
    return this.schemas;
  }

  /**
   * Sends `data` to one incoming connection as one Arrow IPC stream. Resolves when the last piece is
   * written to the connection (a slow plugin slows this call); `data` may be reused from then on, and
   * must not change before. Rejects with `TRANSPORT_UNKNOWN_ANCHOR` for an
   * undeclared anchor or connection, `TRANSPORT_CLOSED` after the connection completed, and
   * `TRANSPORT_CONFIG` (its `cause` the ChunkerError) for data the encoder refuses.
   */
  async send(anchorName: string, connectionName: string, data: Table | RecordBatch): Promise<void> {
    const key = this.checkConnection(anchorName, connectionName);
    if (!(data instanceof Table) && !(data instanceof RecordBatch)) {
      throw new TransportError('TRANSPORT_CONFIG', 'send needs an Arrow Table or RecordBatch');
    }
    // Resolving only once the last piece is written keeps the promise that `data` may be reused then:
    // the http2 carrier writes the pieces' data without copying it.
    let lastWrite: Promise<void> = Promise.resolve();
    await this.sendLock.run(key, async () => {
      try {
        for (const chunk of encodeChunks(data, { maxChunkBytes: this.maxChunkBytes })) {
          const completion = chunk.endOfChunk ? this.writeCompletions.track() : undefined;
          await this.recordIn.push(
            incomingRecordsMessage(
              { anchorName, connectionName, data: chunk.data, endOfChunk: chunk.endOfChunk },
              completion?.onWritten,
            ),
          );
          if (completion !== undefined) lastWrite = completion.written;
        }
      } catch (error) {
        // The encoder refuses e.g. Arrow objects of another apache-arrow build; its message says why.
        if (!ChunkerError.isInstance(error)) throw error;
        throw new TransportError(
          'TRANSPORT_CONFIG',
          `anchor '${anchorName}' connection '${connectionName}': ${error.message}`,
          { cause: error, anchorName, connectionName },
        );
      }
    });
    await lastWrite;
  }

  /** Tells the plugin one connection has sent everything (after its pending sends). Idempotent. */
  async completeConnection(anchorName: string, connectionName: string): Promise<void> {
    const key = this.checkConnection(anchorName, connectionName, true);
    if (this.completed.has(key)) return this.sendLock.idle(key);
    this.completed.add(key);
    return this.sendLock.run(key, async () => {
      const complete = { anchorName, connectionName };
      // On the data stream first (ordered after the last piece), then on Control as the AMP engine does.
      await this.pushUnlessConfirmed(this.recordIn, { incomingConnectionComplete: complete });
      await this.pushUnlessConfirmed(this.controlIn, { incomingConnectionComplete: complete });
    });
  }

  /**
   * Completes every connection not yet completed, then sends `notify_complete`. Idempotent, and a no-op
   * once the plugin has confirmed (update-only mode confirms without waiting for it).
   */
  async complete(): Promise<void> {
    if (this.notified || this.confirmed) return;
    this.notified = true;
    for (const [anchorName, connections] of this.declared) {
      for (const connectionName of connections) {
        if (!this.completed.has(`${anchorName}\u0000${connectionName}`)) {
          await this.completeConnection(anchorName, connectionName);
        }
      }
    }
    // Every declared connection's data-stream marker is queued before this (RecordTransfer stays open:
    // how a plugin of another SDK reads an early end of its requests is not known).
    await this.sendLock.idle();
    await this.pushUnlessConfirmed(this.controlIn, { notifyComplete: {} });
  }

  /** A plugin that already confirmed completion has stopped reading; late lifecycle messages are moot. */
  private async pushUnlessConfirmed<T>(channel: AsyncChannel<T>, message: T): Promise<void> {
    if (this.confirmed) return;
    try {
      await channel.push(message);
    } catch (error) {
      if (!this.confirmed) throw error;
    }
  }

  /** Cancels the run; `finished` rejects with `TRANSPORT_CANCELLED`. */
  cancel(reason = 'the run was cancelled'): void {
    this.fail(new TransportError('TRANSPORT_CANCELLED', reason));
  }

  /** @internal Ends the run with `error` (used when the plugin process dies). */
  failWith(error: TransportError): void {
    this.fail(error);
  }

  private checkConnection(anchorName: string, connectionName: string, allowCompleted = false): string {
    if (this.failure !== undefined) throw this.failure;
    const connections = this.declared.get(anchorName);
    if (connections === undefined || !connections.has(connectionName)) {
      throw new TransportError(
        'TRANSPORT_UNKNOWN_ANCHOR',
        `anchor '${anchorName}' connection '${connectionName}' was not declared in incomingAnchors`,
        { anchorName, connectionName },
      );
    }
    const key = `${anchorName}\u0000${connectionName}`;
    if (!allowCompleted && (this.completed.has(key) || this.notified)) {
      throw new TransportError(
        'TRANSPORT_CLOSED',
        `anchor '${anchorName}' connection '${connectionName}' is complete`,
        {
          anchorName,
          connectionName,
        },
      );
    }
    return key;
  }

  private watchSignals(): void {
    const { signal, timeoutMs } = this.options;
    if (signal !== undefined) {
      const onAbort = () => this.cancel('the engine cancelled the run');
      if (signal.aborted) queueMicrotask(onAbort);
      else {
        signal.addEventListener('abort', onAbort, { once: true });
        this.cleanups.push(() => signal.removeEventListener('abort', onAbort));
      }
    }
    if (timeoutMs !== undefined) {
      const timer = setTimeout(
        () =>
          this.fail(new TransportError('TRANSPORT_TIMEOUT', `the run did not finish within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.cleanups.push(() => clearTimeout(timer));
    }
  }

  private fail(error: TransportError): void {
    if (this.failure !== undefined) return;
    this.failure = error;
    this.abortController.abort(error);
    this.controlIn.fail(error);
    this.recordIn.fail(error);
    this.outputChannel.fail(error);
  }

  private metadata(): Metadata {
    const metadata = Metadata();
    metadata.set(featuresMetadataKey, featureOrderedCompletion);
    if (this.wiring.authToken !== undefined) metadata.set(authMetadataKey, `Bearer ${this.wiring.authToken}`);
    return metadata;
  }

  private async run(): Promise<EngineRunResult> {
    try {
      const options = this.options;
      await this.controlIn.push({
        pluginInitializationData: {
          configXml: options.configXml ?? '<Configuration />',
          incomingAnchors: (options.incomingAnchors ?? []).map((anchor) => ({
            name: anchor.name,
            connections: (anchor.connections ?? ['#1']).map((name) => ({ name })),
          })),
          outgoingAnchors: (options.outgoingAnchors ?? []).map((anchor) => ({
            name: anchor.name,
            numConnections: anchor.numConnections ?? 1,
          })),
          engineConstants: { ...defaultConstants, ...options.engineConstants },
          updateMode: UpdateModeWire[options.updateMode ?? 'run'],
        },
      });
      await Promise.all([this.readControl(), this.readRecords()]);
      if (this.failure !== undefined) throw this.failure;
      if (!this.confirmed) {
        throw new TransportError('TRANSPORT_PROTOCOL', 'the plugin ended Control without confirm_complete');
      }
      return {
        messages: this.messageList,
        outgoingSchemas: this.schemas,
        closedAnchors: this.closedAnchors,
        progress: this.lastProgress,
      };
    } catch (error) {
      const typed = this.failure ?? asTransportError(error, 'TRANSPORT_CONNECTION', 'run failed');
      this.fail(typed);
      throw await this.wiring.explainFailure(typed);
    } finally {
      for (const cleanup of this.cleanups) cleanup();
      this.controlIn.close();
      this.recordIn.close();
      this.wiring.onSettled(this);
    }
  }

  private async readControl(): Promise<void> {
    let trailer: Metadata | undefined;
    try {
      const responses = this.wiring.client.control(this.controlIn, {
        signal: this.abortController.signal,
        metadata: this.metadata(),
        onTrailer: (received) => {
          trailer = received;
        },
      });
      for await (const message of responses) this.handleControl(message as sdk.ControlOut);
    } catch (error) {
      if (this.failure !== undefined) throw this.failure;
      const typed = fromClientError(error, trailer, 'Control');
      this.fail(typed);
      throw typed;
    }
  }

  private handleControl(message: sdk.ControlOut): void {
    switch (message.payload) {
      case 'outputMessage': {
        const output = message.outputMessage;
        const received: PluginMessage = Object.freeze({
          kind: messageKinds[output?.messageType ?? 0] ?? 'other',
          message: output?.message ?? '',
          priority: output?.priority ?? 0,
        });
        this.messageList.push(received);
        this.options.onMessage?.(received);
        break;
      }
      case 'outgoingMetadata': {
        const push = message.outgoingMetadata;
        const anchorName = push?.outputAnchorName ?? '';
        if (push?.schema && push.schema.byteLength > 0)
          this.schemas.set(anchorName, deserializeSchema(push.schema, anchorName));
        break;
      }
      case 'translateMessage': {
        const request = message.translateMessage;
        const msgId = message.msgId ?? '';
        const translate = this.options.translate ?? defaultTranslate;
        void Promise.resolve()
          .then(() => translate(request?.unlocalizedString ?? '', request?.interpolationData ?? []))
          .then((translated) =>
            this.controlIn.push({ translatedMessage: { translatedMessage: translated }, msgId }),
          )
          .catch((error: unknown) =>
            this.fail(asTransportError(error, 'TRANSPORT_PROTOCOL', 'translate failed')),
          );
        break;
      }
      case 'decryptPassword': {
        const msgId = message.msgId ?? '';
        const encrypted = message.decryptPassword?.password ?? '';
        const decrypt = this.options.decryptPassword;
        void Promise.resolve()
          .then(() => (decrypt === undefined ? encrypted : decrypt(encrypted)))
          .then((password) => {
            if (typeof password !== 'string') {
              throw new TypeError(`the decryptPassword handler returned a ${typeof password}, not a string`);
            }
            return this.controlIn.push({ decryptedPassword: { password }, msgId }).catch(() => undefined);
          })
          .catch((error: unknown) =>
            this.fail(
              new TransportError(
                'TRANSPORT_PROTOCOL',
                `decryptPassword handler failed: ${describeThrown(error)}`,
                {
                  cause: error,
                },
              ),
            ),
          );
        break;
      }
      case 'dcmERequest':
        void this.answerDcm(message.dcmERequest ?? undefined, message.msgId ?? '');
        break;
      case 'updateProgress': {
        const fraction = message.updateProgress?.value ?? 0;
        this.lastProgress = fraction;
        this.options.onProgress?.(fraction);
        break;
      }
      case 'confirmComplete':
        this.confirmed = true;
        // Nothing more to say on Control: half-close it so the plugin's handler can return.
        this.controlIn.close();
        break;
      default:
        break;
    }
  }

  /** Answers one DCM request; never rejects (a failing handler is answered `success: false`). */
  private async answerDcm(request: sdk.DcmERequest.$Properties | undefined, msgId: string): Promise<void> {
    let answer: { success: boolean; response: ReturnType<typeof objectToStruct> };
    const parsed = parseDcmRequest(request);
    const handler = this.options.dcm;
    try {
      if (parsed === undefined) {
        throw new TypeError(`unsupported DCM request (${dcmOperationName(request) ?? 'no V2 request set'})`);
      }
      answer = dcmAnswerMessage(handler === undefined ? noDcmAnswer : await handler(parsed));
    } catch (error) {
      const failure: DcmObject = { message: describeThrown(error) };
      answer = { success: false, response: objectToStruct(failure, 'dcm failure') };
    }
    await this.controlIn.push({ dcmEResponse: answer, msgId }).catch(() => undefined);
  }

  private async readRecords(): Promise<void> {
    let trailer: Metadata | undefined;
    try {
      const responses = this.wiring.client.recordTransfer(this.recordIn, {
        signal: this.abortController.signal,
        metadata: this.metadata(),
        onTrailer: (received) => {
          trailer = received;
        },
      });
      for await (const message of responses) await this.handleRecords(message as sdk.RecordTransferOut);
      for (const [anchorName, assembler] of this.assemblers) {
        try {
          assembler.close();
        } catch (error) {
          throw reassemblyError(error, anchorName, '');
        }
      }
      this.outputChannel.close();
    } catch (error) {
      if (this.failure !== undefined) throw this.failure;
      const typed = TransportError.isInstance(error)
        ? error
        : fromClientError(error, trailer, 'RecordTransfer');
      this.fail(typed);
      throw typed;
    }
  }

  private async handleRecords(message: sdk.RecordTransferOut): Promise<void> {
    const payload = payloadOf(message, recordTransferOutPayloads);
    if (payload === 'outgoingRecords') {
      const records = message.outgoingRecords as sdk.OutgoingRecords;
      const anchorName = records.anchorName ?? '';
      this.checkOutgoingAnchor(anchorName, records.connectionName ?? '');
      if (this.closedAnchors.includes(anchorName)) {
        throw new TransportError(
          'TRANSPORT_PROTOCOL',
          `the plugin wrote to outgoing anchor '${anchorName}' after closing it`,
          { anchorName, connectionName: records.connectionName ?? '' },
        );
      }
      let assembler = this.assemblers.get(anchorName);
      if (assembler === undefined) {
        assembler = new ChunkAssembler({
          maxStreamBytes: this.maxStreamBytes,
          channel: `outgoing anchor '${anchorName}'`,
        });
        this.assemblers.set(anchorName, assembler);
      }
      const connectionName = records.connectionName ?? '';
      const table = this.pendingStreams.push(assembler, assemblerPiecesOf(records), {
        anchorName,
        connectionName,
      });
      if (table !== undefined) await this.outputChannel.push({ anchorName, table });
    } else if (payload === 'closeOutgoingAnchor') {
      const anchorName = message.closeOutgoingAnchor?.name ?? '';
      this.checkOutgoingAnchor(anchorName, '');
      this.closedAnchors.push(anchorName);
    }
  }

  /**
   * A plugin may only use the outgoing anchors this run declared: a foreign or faulty plugin gets a
   * typed error instead of outputs the caller never asked for.
   */
  private checkOutgoingAnchor(anchorName: string, connectionName: string): void {
    if (!this.declaredOutgoingAnchors.has(anchorName)) {
      throw new TransportError(
        'TRANSPORT_UNKNOWN_ANCHOR',
        `the plugin used outgoing anchor '${anchorName}', which this run did not declare in outgoingAnchors`,
        { anchorName, connectionName },
      );
    }
  }
}
