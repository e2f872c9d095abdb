import { randomUUID } from 'node:crypto';
import { debuglog } from 'node:util';
import { ChunkAssembler, encodeChunks } from '@sdk/arrow-chunker';
import { RecordBatch, type Schema, Table } from 'apache-arrow';
import { type Anchor, createAnchor } from '../anchor.js';
import type { DcmLockAndUpdateSecretResult, DcmObject, EngineRequestOptions } from '../dcm-request.js';
import { TransportError } from '../errors/transport-error.js';
import type { sdk } from '../gen/sdk.js';
import type { UpdateMode } from '../plugin-environment.js';
import type {
  IncomingAnchorInfo,
  IncomingConnectionInfo,
  OutgoingAnchorInfo,
  OutputMessageOptions,
  PluginIo,
  PluginProvider,
} from '../plugin-provider.js';
import type { SdkPlugin, SdkPluginClass } from '../sdk-plugin.js';
import { AsyncChannel } from './async-channel.js';
import { reassemblyError } from './chunk-errors.js';
import {
  dcmOperationName,
  getConnectionRequest,
  lockSecretRequest,
  unlockSecretRequest,
  updateSecretRequest,
} from './dcm-wire.js';
import { describeThrown } from './describe-thrown.js';
import { engineUnderstandsProgress } from './engine-version.js';
import { asTransportError } from './error-status.js';
import { RequestRefusedError } from './http2/http2-server-call.js';
import { controlInPayloads, payloadOf, recordTransferInPayloads } from './payload-of.js';
import { PendingStreamBudget } from './pending-stream-budget.js';
import { parsePluginEnvironment } from './plugin-environment-parse.js';
import { assemblerPiecesOf } from './records-codec.js';
import { serializeSchema } from './schema-bytes.js';
import { SerialLock } from './serial-lock.js';
import {
  type ControlInMessage,
  type ControlOutMessage,
  OutputMessageType,
  outgoingRecordsMessage,
  type RecordTransferInMessage,
  type RecordTransferOutMessage,
  undecodableReason,
} from './service-definition.js';
import { structToObject } from './struct-value.js';
import { tableBytes } from './table-bytes.js';
import { WriteCompletions } from './write-completion.js';

/** Limits and switches of one plugin session; see `PluginServerOptions` for the public defaults. */
export interface PluginSessionSettings {
  maxStreamBytes: number;
  maxQueuedBytes: number;
  maxOutputChunkBytes: number;
  outputBufferBytes: number;
  translateTimeoutMs: number;
  requestTimeoutMs: number;
  maxPendingStreamBytes: number;
}

interface ConnectionState {
  readonly anchor: Anchor;
  readonly assembler: ChunkAssembler;
  controlComplete: boolean;
  recordComplete: boolean;
  completionQueued: boolean;
  completionDelivered: boolean;
}

type Action =
  | { kind: 'batch'; table: Table; anchor: Anchor; bytes: number }
  | { kind: 'connection-complete'; connection: ConnectionState };

/** The ControlIn payload that answers each kind of request. */
type ResponsePayload = 'translatedMessage' | 'decryptedPassword' | 'dcmEResponse';

interface PendingRequest {
  expects: ResponsePayload;
  resolve: (answer: ControlInMessage) => void;
  reject: (error: unknown) => void;
  stop: () => void;
}

const loadedMessage = 'Plugin class successfully loaded.';
/** Debug lines of the plugin side: `NODE_DEBUG=sdk-transport` writes them to stderr. */
const debug = debuglog('sdk-transport');
const maxPriority = 2_147_483_647;

/** The wire priority of `options`, or a `TRANSPORT_CONFIG` error for a value the field cannot carry. */
function priorityOf(options: OutputMessageOptions | undefined): number {
  const priority = options?.priority ?? 0;
  if (!Number.isInteger(priority) || priority < 0 || priority > maxPriority) {
    throw new TransportError(
      'TRANSPORT_CONFIG',
      `a message priority must be an integer from 0 to ${maxPriority} (an OutputMessagePriorityFlags value), got ${String(priority)}`,
    );
  }
  return priority;
}
const updateModes: Record<number, UpdateMode> = { 0: 'run', 1: 'full', 2: 'quick' };

function connectionKey(anchorName: string, connectionName: string): string {
  return `${anchorName}\u0000${connectionName}`;
}

/**
 * The plugin side of one run: the pair of Control and RecordTransfer streams the engine opens, the
 * plugin instance, and the ordering rules between them. Callbacks run one at a time from a FIFO action
 * queue; reading input pauses while the queue holds `maxQueuedBytes` of decoded tables, which is how a
 * slow plugin slows the engine (HTTP/2 flow control does the rest).
 */
export class PluginSession {
  readonly controlOut: AsyncChannel<ControlOutMessage>;
  readonly recordOut: AsyncChannel<RecordTransferOutMessage>;
  /** Settles when the session is over, either way; never rejects. */
  readonly settled: Promise<void>;
  hasControl = false;
  hasRecords = false;

  private readonly abortController = new AbortController();
  private settle: () => void = () => undefined;
  private failure: TransportError | undefined;
  private orderedCompletion = false;

  private plugin: SdkPlugin | undefined;
  private updateOnly = false;
  /** The engine's `Engine.Version` says it understands `update_progress` and message priorities. */
  private progressUnderstood = false;
  private engineVersion = '';
  private initialized = false;
  private readyResolve: (ready: boolean) => void = () => undefined;
  private readonly ready: Promise<boolean>;

  private incomingAnchors: Record<string, IncomingAnchorInfo> = {};
  private outgoingAnchors: Record<string, OutgoingAnchorInfo> = {};
  private readonly connections = new Map<string, ConnectionState>();
  private readonly closedOutgoingAnchors = new Set<string>();

  private readonly actions: Action[] = [];
  /** Bytes of incomplete streams held by every connection's assembler, together. */
  private readonly pendingStreams: PendingStreamBudget;
  /** When the last piece of each `send`/`writeToAnchor` is written (one abort listener for all). */
  private readonly writeCompletions: WriteCompletions;
  private queuedBytes = 0;
  private actionsRunning = false;
  private spaceWaiters: Array<() => void> = [];
  /** Largest decoded-but-undelivered byte count seen; tests check it against `maxQueuedBytes`. */
  queuedBytesHighWater = 0;

  /** Largest sum of incomplete-stream bytes held at once; tests check it against `maxPendingStreamBytes`. */
  get pendingStreamBytesHighWater(): number {
    return this.pendingStreams.highWaterBytes;
  }

  private recordReaderWaiting = false;
  private recordReaderEnded = false;
  private drainWaiters: Array<() => void> = [];
  private notifyReceived = false;
  /** `notify_complete` arrived: no more input will come (records still in flight are read first). */
  private inputEnded = false;
  /** Every connection still open was completed by `notify_complete`; later records are a protocol error. */
  private connectionsClosedByNotify = false;
  private completionStarted = false;
  private recordStreamDrainedResolve: () => void = () => undefined;
  private readonly recordStreamDrained: Promise<void>;
  private controlStreamDoneResolve: () => void = () => undefined;
  private readonly controlStreamDone: Promise<void>;

  private readonly writeLock = new SerialLock();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly pendingRequests = new Map<string, PendingRequest>();
  private readonly expiredRequestIds = new Set<string>();

  constructor(
    private readonly pluginClass: SdkPluginClass,
    private readonly settings: PluginSessionSettings,
  ) {
    this.controlOut = new AsyncChannel<ControlOutMessage>(4096);
    this.pendingStreams = new PendingStreamBudget(settings.maxPendingStreamBytes, 'anchor');
    this.writeCompletions = new WriteCompletions(this.abortController.signal);
    this.recordOut = new AsyncChannel<RecordTransferOutMessage>(
      settings.outputBufferBytes,
      (message) => (message.outgoingRecords?.data?.byteLength ?? 0) + 64,
    );
    this.settled = new Promise((resolve) => {
      this.settle = resolve;
    });
    this.ready = new Promise((resolve) => {
      this.readyResolve = resolve;
    });
    this.recordStreamDrained = new Promise((resolve) => {
      this.recordStreamDrainedResolve = resolve;
    });
    this.controlStreamDone = new Promise((resolve) => {
      this.controlStreamDoneResolve = resolve;
    });
  }

  /** The error that ended the session, if one did. */
  get error(): TransportError | undefined {
    return this.failure;
  }

  /** Engine announced the ordered-completion extension on one of its calls. */
  enableOrderedCompletion(): void {
    this.orderedCompletion = true;
  }

  /** Starts consuming the Control requests; errors end the session. */
  attachControl(requests: AsyncIterable<ControlInMessage>): void {
    this.hasControl = true;
    void this.readControl(requests).catch((error: unknown) =>
      this.fail(this.requestStreamFailure(error, 'Control')),
    );
  }

  /** Starts consuming the RecordTransfer requests; errors end the session. */
  attachRecords(requests: AsyncIterable<RecordTransferInMessage>): void {
    this.hasRecords = true;
    void this.readRecords(requests).catch((error: unknown) =>
      this.fail(this.requestStreamFailure(error, 'RecordTransfer')),
    );
  }

  /**
   * A request the plugin side refused, as the typed error both calls end with (and the in-band error
   * message says): the size seen and the limit for a message too large, the reason for one that is
   * malformed. Never a cancellation: the engine did nothing but send it.
   */
  private requestStreamFailure(error: unknown, call: 'Control' | 'RecordTransfer'): TransportError {
    if (TransportError.isInstance(error)) return error;
    if (error instanceof RequestRefusedError) {
      if (error.sizes !== undefined) {
        const { messageBytes, limitBytes } = error.sizes;
        return new TransportError(
          'TRANSPORT_LIMIT_EXCEEDED',
          `the plugin refused a ${call} message of ${messageBytes} bytes: the limit is ${limitBytes} bytes per ` +
            `message (maxStreamBytes ${this.settings.maxStreamBytes} plus room for the message's own fields); ` +
            "send smaller pieces or raise the plugin server's maxStreamBytes",
          { cause: error },
        );
      }
      return new TransportError(
        'TRANSPORT_PROTOCOL',
        `the plugin refused a ${call} message: ${error.details}`,
        {
          cause: error,
        },
      );
    }
    return asTransportError(error, 'TRANSPORT_PROTOCOL', `${call} stream failed`);
  }

  /**
   * The RecordTransfer handler has written everything (or stopped); once `statusWritten` resolves (the
   * carrier has handed the call's status to HTTP/2), completion may be confirmed on Control.
   */
  recordStreamFinished(statusWritten: Promise<void> = Promise.resolve()): void {
    void statusWritten.then(() => this.recordStreamDrainedResolve());
  }

  /** Ends the session with `error`: both streams end with its status, pending work is rejected. */
  fail(error: TransportError): void {
    if (this.failure !== undefined) return;
    this.failure = error;
    this.abortController.abort(error);
    this.readyResolve(false);
    for (const [id, pending] of this.pendingRequests) {
      pending.stop();
      pending.reject(error);
      this.pendingRequests.delete(id);
    }
    for (const wake of this.spaceWaiters.splice(0)) wake();
    this.wakeDrainWaiters();
    // The AMP engine only understands in-band messages: say it there too, then end with the status.
    if (error.code !== 'TRANSPORT_CANCELLED') {
      void this.controlOut
        .push({ outputMessage: { messageType: OutputMessageType.error, message: error.message } })
        .catch(() => undefined);
    }
    this.controlOut.close(error);
    // End RecordTransfer once Control has carried the error message out (the engine stops reading at
    // the first failed call), or after a second at most.
    const flushed = new Promise((resolve) => setTimeout(resolve, 1_000).unref());
    void Promise.race([this.controlStreamDone, flushed]).then(() => {
      this.recordOut.fail(error);
      this.recordStreamDrainedResolve();
      this.settle();
    });
  }

  /** The Control handler has written everything (or stopped). */
  controlStreamFinished(): void {
    this.controlStreamDoneResolve();
  }

  private finishSuccessfully(): void {
    this.controlOut.close();
    this.settle();
  }

  private async readControl(requests: AsyncIterable<ControlInMessage>): Promise<void> {
    for await (const message of requests) {
      if (this.failure !== undefined) return;
      this.refuseUndecodable(message, 'Control');
      const payload = payloadOf(message, controlInPayloads);
      if (payload === 'pluginInitializationData') {
        if (this.initialized)
          throw new TransportError('TRANSPORT_PROTOCOL', 'plugin_initialization_data sent twice');
        await this.initialize(message.pluginInitializationData as sdk.PluginInitializationData);
        continue;
      }
      if (!this.initialized && payload !== undefined) {
        throw new TransportError(
          'TRANSPORT_PROTOCOL',
          `${payload} received before plugin_initialization_data`,
        );
      }
      switch (payload) {
        case 'translatedMessage':
        case 'decryptedPassword':
        case 'dcmEResponse':
          this.answerRequest(message.msgId ?? '', payload, message);
          break;
        case 'incomingConnectionComplete': {
          // After notify_complete every connection is complete: a late or repeated one changes nothing.
          if (this.connectionsClosedByNotify) break;
          const complete = message.incomingConnectionComplete;
          const connection = this.connectionFor(complete?.anchorName ?? '', complete?.connectionName ?? '');
          // Without the data-stream marker, this Control message may overtake records still unread.
          if (!this.orderedCompletion) await this.recordsDrained();
          connection.controlComplete = true;
          this.checkConnectionComplete(connection);
          break;
        }
        case 'notifyComplete':
          // A duplicate is harmless: the input has ended once.
          if (this.inputEnded) break;
          this.inputEnded = true;
          // Off the Control reader: answers (translations, DCM) must keep flowing while records drain.
          void this.endInput().catch((error: unknown) =>
            this.fail(asTransportError(error, 'TRANSPORT_PROTOCOL', 'notify_complete failed')),
          );
          break;
        default:
          // Payloads added by later engines (unknown fields) are ignored, as the AMP SDK does.
          break;
      }
    }
  }

  private async initialize(data: sdk.PluginInitializationData): Promise<void> {
    this.initialized = true;
    const updateMode = updateModes[data.updateMode ?? 0] ?? 'run';
    const environment = parsePluginEnvironment(data.engineConstants ?? {}, updateMode);
    this.updateOnly = environment.updateOnly;
    this.engineVersion = environment.designerVersion;
    this.progressUnderstood = engineUnderstandsProgress(environment.designerVersion);
    for (const anchor of data.incomingAnchors ?? []) {
      const connections: Record<string, IncomingConnectionInfo> = {};
      for (const connection of anchor.connections ?? []) {
        connections[connection.name ?? ''] = Object.freeze({ name: connection.name ?? '' });
      }
      this.incomingAnchors[anchor.name ?? ''] = Object.freeze({
        name: anchor.name ?? '',
        connections: Object.freeze(connections),
      });
      for (const name of Object.keys(connections)) this.connectionFor(anchor.name ?? '', name);
    }
    for (const anchor of data.outgoingAnchors ?? []) {
      this.outgoingAnchors[anchor.name ?? ''] = Object.freeze({
        name: anchor.name ?? '',
        numConnections: anchor.numConnections ?? 0,
      });
    }
    Object.freeze(this.incomingAnchors);
    Object.freeze(this.outgoingAnchors);
    const provider = this.createProvider(data.configXml ?? '', environment);
    let plugin: SdkPlugin;
    try {
      plugin = new this.pluginClass(provider);
    } catch (error) {
      throw this.pluginError('constructor', error);
    }
    this.sendOutputMessage(OutputMessageType.info, loadedMessage);
    // Off the Control reader: onInit may wait for answers that arrive on Control (decryptPassword,
    // translations), and the session goes on only once it has settled.
    void this.startPlugin(plugin).catch((error: unknown) =>
      this.fail(asTransportError(error, 'TRANSPORT_PLUGIN_FAILED', 'plugin initialisation failed')),
    );
  }

  /**
   * Runs the plugin's `onInit`, then the mode's course: a metadata refresh confirms at once; a run
   * lets records and callbacks reach the plugin (they wait for `ready`) and completion start.
   */
  private async startPlugin(plugin: SdkPlugin): Promise<void> {
    if (plugin.onInit !== undefined) await this.callPlugin('onInit', () => plugin.onInit?.());
    if (this.failure !== undefined) return;
    this.plugin = plugin;
    if (this.updateOnly) {
      // Metadata refresh: only the constructor and onInit run; no close messages, then confirm.
      this.readyResolve(false);
      await this.settleInFlight();
      this.recordOut.close();
      if (this.hasRecords) await this.recordStreamDrained;
      await this.controlOut.push({ confirmComplete: {} });
      this.finishSuccessfully();
      return;
    }
    this.readyResolve(true);
    this.maybeStartCompletion();
  }

  private async readRecords(requests: AsyncIterable<RecordTransferInMessage>): Promise<void> {
    // Records wait for the constructor, as in the AMP SDK; unread messages stay in HTTP/2 buffers.
    if (!(await this.ready)) return;
    const iterator = requests[Symbol.asyncIterator]();
    try {
      while (this.failure === undefined) {
        this.recordReaderWaiting = true;
        this.wakeDrainWaiters();
        const next = await iterator.next();
        this.recordReaderWaiting = false;
        if (next.done === true || this.failure !== undefined) break;
        const message = next.value;
        this.refuseUndecodable(message, 'RecordTransfer');
        const payload = payloadOf(message, recordTransferInPayloads);
        if (payload === 'incomingRecords') {
          await this.receiveRecords(message.incomingRecords as sdk.RecordTransferIn.IncomingRecords);
        } else if (payload === 'incomingConnectionComplete' && !this.connectionsClosedByNotify) {
          const complete = message.incomingConnectionComplete;
          const connection = this.connectionFor(complete?.anchorName ?? '', complete?.connectionName ?? '');
          connection.recordComplete = true;
          this.checkConnectionComplete(connection);
          this.wakeDrainWaiters();
        }
        // record_request is a credit message the AMP SDK ignores; so do we.
      }
    } finally {
      this.recordReaderEnded = true;
      this.wakeDrainWaiters();
    }
  }

  private refuseUndecodable(message: object, call: 'Control' | 'RecordTransfer'): void {
    const reason = undecodableReason(message);
    if (reason === undefined) return;
    const expected = call === 'Control' ? 'ControlIn' : 'RecordTransferIn';
    throw new TransportError(
      'TRANSPORT_PROTOCOL',
      `the plugin refused a ${call} message that does not decode as ${expected} (${reason})`,
    );
  }

  private wakeDrainWaiters(): void {
    for (const wake of this.drainWaiters.splice(0)) wake();
  }

  /**
   * Resolves once the record reader has consumed every RecordTransfer message received so far: it waits
   * for more and nothing arrives within one event-loop turn. gRPC delivers both streams' frames in
   * connection order, so records the engine sent before a Control message are received by then.
   */
  private async recordsDrained(): Promise<void> {
    while (this.hasRecords && !this.recordReaderEnded && this.failure === undefined) {
      if (this.recordReaderWaiting) {
        await new Promise((resolve) => setImmediate(resolve));
        if (this.recordReaderWaiting || this.recordReaderEnded) return;
      } else {
        await new Promise<void>((resolve) => this.drainWaiters.push(resolve));
      }
    }
  }

  private async receiveRecords(records: sdk.RecordTransferIn.IncomingRecords): Promise<void> {
    const connection = this.connectionFor(records.anchorName ?? '', records.connectionName ?? '');
    if (this.connectionsClosedByNotify && !connection.completionQueued) {
      throw new TransportError(
        'TRANSPORT_PROTOCOL',
        `records for anchor '${connection.anchor.name}' connection '${connection.anchor.connection}' after notify_complete`,
        { anchorName: connection.anchor.name, connectionName: connection.anchor.connection },
      );
    }
    if (connection.completionQueued) {
      throw new TransportError(
        'TRANSPORT_PROTOCOL',
        `records for anchor '${connection.anchor.name}' connection '${connection.anchor.connection}' after it completed`,
        { anchorName: connection.anchor.name, connectionName: connection.anchor.connection },
      );
    }
    const { anchor } = connection;
    const table = this.pendingStreams.push(connection.assembler, assemblerPiecesOf(records), {
      anchorName: anchor.name,
      connectionName: anchor.connection,
    });
    if (table === undefined) return;
    this.enqueue({ kind: 'batch', table, anchor, bytes: tableBytes(table) });
    while (this.queuedBytes >= this.settings.maxQueuedBytes && this.failure === undefined) {
      await new Promise<void>((resolve) => this.spaceWaiters.push(resolve));
    }
  }

  /**
   * Incomplete streams cannot be backpressured (a stream must be read to its end before anything of it
   * reaches the plugin), and each connection may hold up to `maxStreamBytes` of one: across connections
   * that adds up without bound, so their sum has its own limit.
   */

  private connectionFor(anchorName: string, connectionName: string): ConnectionState {
    const key = connectionKey(anchorName, connectionName);
    const existing = this.connections.get(key);
    if (existing !== undefined) return existing;
    if (this.incomingAnchors[anchorName] === undefined) {
      throw new TransportError(
        'TRANSPORT_UNKNOWN_ANCHOR',
        `anchor '${anchorName}' is not an incoming anchor of this tool`,
        {
          anchorName,
          connectionName,
        },
      );
    }
    // A connection the engine did not declare is accepted on a declared anchor and accounted like the others.
    const state: ConnectionState = {
      anchor: createAnchor(anchorName, connectionName),
      assembler: new ChunkAssembler({
        maxStreamBytes: this.settings.maxStreamBytes,
        channel: `anchor '${anchorName}' connection '${connectionName}'`,
      }),
      controlComplete: false,
      recordComplete: false,
      completionQueued: false,
      completionDelivered: false,
    };
    this.connections.set(key, state);
    return state;
  }

  private checkConnectionComplete(connection: ConnectionState): void {
    if (connection.completionQueued || !connection.controlComplete) return;
    // With our engine the data-stream marker orders completion after the last records; a foreign
    // engine sends only the Control message, which we then trust as the AMP SDK does.
    if (this.orderedCompletion && !connection.recordComplete) return;
    try {
      connection.assembler.close();
    } catch (error) {
      throw reassemblyError(error, connection.anchor.name, connection.anchor.connection);
    }
    connection.completionQueued = true;
    this.enqueue({ kind: 'connection-complete', connection });
  }

  private enqueue(action: Action): void {
    this.actions.push(action);
    if (action.kind === 'batch') {
      this.queuedBytes += action.bytes;
      if (this.queuedBytes > this.queuedBytesHighWater) this.queuedBytesHighWater = this.queuedBytes;
    }
    if (!this.actionsRunning) void this.runActions();
  }

  private async runActions(): Promise<void> {
    this.actionsRunning = true;
    try {
      // Callbacks reach the plugin only once it is initialised (never in a metadata refresh).
      if (!(await this.ready)) return;
      while (this.actions.length > 0 && this.failure === undefined) {
        const action = this.actions.shift() as Action;
        if (action.kind === 'batch') {
          await this.callPlugin('onRecordBatch', () =>
            this.plugin?.onRecordBatch?.(action.table, action.anchor),
          );
          this.queuedBytes -= action.bytes;
          for (const wake of this.spaceWaiters.splice(0)) wake();
        } else {
          await this.callPlugin('onIncomingConnectionComplete', () =>
            this.plugin?.onIncomingConnectionComplete?.(action.connection.anchor),
          );
          action.connection.completionDelivered = true;
        }
      }
    } catch (error) {
      this.fail(asTransportError(error, 'TRANSPORT_PLUGIN_FAILED', 'plugin callback failed'));
    } finally {
      this.actionsRunning = false;
    }
    this.maybeStartCompletion();
  }

  /**
   * `notify_complete`: the engine has sent all input. Records sent before it are read first (with the
   * ordered-completion extension, until every connection's data-stream marker or the end of the records
   * stream; otherwise until the record reader has caught up, as for `incoming_connection_complete`).
   * Then every connection still open is completed as if its `incoming_connection_complete` had come, so
   * its `onIncomingConnectionComplete` runs before `onComplete`, as the AMP SDK calls `on_complete`
   * whatever connections the engine completed. A connection left with half a stream fails the run with
   * `TRANSPORT_INVALID_RECORDS`.
   */
  private async endInput(): Promise<void> {
    if (this.orderedCompletion) await this.recordMarkersReceived();
    else await this.recordsDrained();
    if (this.failure !== undefined) return;
    this.connectionsClosedByNotify = true;
    for (const connection of this.connections.values()) {
      if (connection.completionQueued) continue;
      connection.controlComplete = true;
      connection.recordComplete = true;
      this.checkConnectionComplete(connection);
    }
    this.notifyReceived = true;
    this.maybeStartCompletion();
  }

  /**
   * With the ordered-completion extension the engine sends each connection's data-stream marker before
   * `notify_complete` (and our engine half-closes RecordTransfer after the last one): waits until every
   * connection has its marker or the records stream has ended, so that no records are still on the way.
   */
  private async recordMarkersReceived(): Promise<void> {
    const waiting = () =>
      this.hasRecords &&
      !this.recordReaderEnded &&
      this.failure === undefined &&
      [...this.connections.values()].some((connection) => !connection.recordComplete);
    while (waiting()) await new Promise<void>((resolve) => this.drainWaiters.push(resolve));
  }

  private maybeStartCompletion(): void {
    if (!this.notifyReceived || this.completionStarted || this.failure !== undefined) return;
    if (!this.initialized || this.updateOnly || this.plugin === undefined) return;
    if (this.actionsRunning || this.actions.length > 0) return;
    for (const connection of this.connections.values()) if (!connection.completionDelivered) return;
    this.completionStarted = true;
    void this.complete().catch((error: unknown) =>
      this.fail(asTransportError(error, 'TRANSPORT_PLUGIN_FAILED', 'completion failed')),
    );
  }

  /** The AMP completion order: onComplete, flush, close every outgoing anchor, end RecordTransfer, confirm. */
  private async complete(): Promise<void> {
    await this.callPlugin('onComplete', () => this.plugin?.onComplete?.());
    await this.settleInFlight();
    for (const anchorName of Object.keys(this.outgoingAnchors)) await this.closeAnchor(anchorName);
    this.recordOut.close();
    if (this.hasRecords) await this.recordStreamDrained;
    if (this.failure !== undefined) return;
    await this.controlOut.push({ confirmComplete: {} });
    this.finishSuccessfully();
  }

  private async callPlugin(callbackName: string, call: () => void | Promise<void>): Promise<void> {
    try {
      await call();
    } catch (error) {
      throw this.pluginError(callbackName, error);
    }
  }

  private pluginError(callbackName: string, error: unknown): TransportError {
    if (TransportError.isInstance(error) && error.code !== 'TRANSPORT_PLUGIN_FAILED') return error;
    return new TransportError(
      'TRANSPORT_PLUGIN_FAILED',
      `plugin ${callbackName} threw ${describeThrown(error)}`,
      {
        cause: error,
        remoteStack: error instanceof Error ? error.stack : undefined,
      },
    );
  }

  /** Waits for every write and callback-style translation started so far, including ones they start. */
  private async settleInFlight(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.inFlight.add(promise);
    const untrack = () => this.inFlight.delete(promise);
    promise.then(untrack, untrack);
    return promise;
  }

  private sendOutputMessage(messageType: number, message: string, priority = 0): void {
    if (this.failure !== undefined) return;
    let sentPriority = priority;
    if (priority !== 0 && !this.progressUnderstood) {
      debug(
        'priority %d dropped: Engine.Version %j predates message priorities',
        priority,
        this.engineVersion,
      );
      sentPriority = 0;
    }
    const outputMessage =
      sentPriority === 0 ? { messageType, message } : { messageType, message, priority: sentPriority };
    void this.controlOut.push({ outputMessage }).catch(() => undefined);
  }

  private updateProgress(fraction: number): void {
    if (typeof fraction !== 'number' || !Number.isFinite(fraction) || fraction < 0 || fraction > 1) {
      throw new TransportError(
        'TRANSPORT_CONFIG',
        `updateProgress needs a fraction from 0 to 1, got ${typeof fraction === 'number' ? fraction : typeof fraction}`,
      );
    }
    if (this.failure !== undefined) return;
    if (!this.progressUnderstood) {
      debug(
        'updateProgress(%d) not sent: Engine.Version %j predates update_progress',
        fraction,
        this.engineVersion,
      );
      return;
    }
    void this.controlOut.push({ updateProgress: { value: fraction } }).catch(() => undefined);
  }

  private answerRequest(msgId: string, payload: ResponsePayload, answer: ControlInMessage): void {
    const pending = this.pendingRequests.get(msgId);
    if (pending === undefined) {
      if (this.expiredRequestIds.delete(msgId)) return;
      throw new TransportError(
        'TRANSPORT_UNKNOWN_MSG_ID',
        `${payload} response with msg_id '${msgId}' matches no pending request`,
      );
    }
    if (pending.expects !== payload) {
      throw new TransportError(
        'TRANSPORT_PROTOCOL',
        `msg_id '${msgId}' expects a ${pending.expects} response, the engine sent ${payload}`,
      );
    }
    pending.stop();
    this.pendingRequests.delete(msgId);
    pending.resolve(answer);
  }

  /**
   * Sends `message` with a fresh UUIDv4 `msg_id` and resolves with the ControlIn that answers it. A
   * request given up on (timeout, abort) remembers its id, so that a late answer is dropped quietly
   * instead of being reported as an unknown msg_id.
   */
  private request(
    message: ControlOutMessage,
    expects: ResponsePayload,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<ControlInMessage> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (!Number.isInteger(timeoutMs) || timeoutMs < 1) {
      return Promise.reject(
        new TransportError('TRANSPORT_CONFIG', `timeoutMs must be a positive integer, got ${timeoutMs}`),
      );
    }
    if (signal?.aborted === true) {
      return Promise.reject(new TransportError('TRANSPORT_CANCELLED', `the ${expects} request was aborted`));
    }
    const msgId = randomUUID();
    return new Promise<ControlInMessage>((resolve, reject) => {
      const giveUp = (error: TransportError) => {
        if (!this.pendingRequests.has(msgId)) return;
        stop();
        this.pendingRequests.delete(msgId);
        this.expiredRequestIds.add(msgId);
        reject(error);
      };
      const timer = setTimeout(
        () =>
          giveUp(
            new TransportError('TRANSPORT_TIMEOUT', `no answer to msg_id '${msgId}' within ${timeoutMs} ms`),
          ),
        timeoutMs,
      );
      timer.unref();
      const onAbort = () =>
        giveUp(new TransportError('TRANSPORT_CANCELLED', `the request with msg_id '${msgId}' was aborted`));
      signal?.addEventListener('abort', onAbort, { once: true });
      const stop = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      this.pendingRequests.set(msgId, { expects, resolve, reject, stop });
      this.controlOut.push({ ...message, msgId }).catch((error: unknown) => {
        stop();
        this.pendingRequests.delete(msgId);
        reject(error);
      });
    });
  }

  private async translate(unlocalized: string, interpolation: unknown[]): Promise<string> {
    const answer = await this.request(
      { translateMessage: { unlocalizedString: unlocalized, interpolationData: interpolation.map(String) } },
      'translatedMessage',
      this.settings.translateTimeoutMs,
    );
    return answer.translatedMessage?.translatedMessage ?? '';
  }

  private async decryptPassword(encrypted: string, options: EngineRequestOptions = {}): Promise<string> {
    if (typeof encrypted !== 'string') {
      throw new TransportError('TRANSPORT_CONFIG', `decryptPassword needs a string, got ${typeof encrypted}`);
    }
    const answer = await this.request(
      { decryptPassword: { password: encrypted } },
      'decryptedPassword',
      options.timeoutMs ?? this.settings.requestTimeoutMs,
      options.signal,
    );
    return answer.decryptedPassword?.password ?? '';
  }

  /** One DCM round trip: the response Struct as an object, or TRANSPORT_DCM_FAILED for `success: false`. */
  private async dcm(
    build: () => sdk.DcmERequest.$Properties,
    options: EngineRequestOptions = {},
  ): Promise<DcmObject> {
    const request = build();
    const answer = await this.request(
      { dcmERequest: request },
      'dcmEResponse',
      options.timeoutMs ?? this.settings.requestTimeoutMs,
      options.signal,
    );
    const response = structToObject(answer.dcmEResponse?.response);
    if (answer.dcmEResponse?.success === true) return response;
    const operation = dcmOperationName(request) ?? 'request';
    const reason = typeof response.message === 'string' ? response.message : 'no message';
    const errorCode = response.errorCode === undefined ? '' : ` (errorCode ${String(response.errorCode)})`;
    throw new TransportError('TRANSPORT_DCM_FAILED', `DCM ${operation} failed: ${reason}${errorCode}`, {
      dcmResponse: response,
    });
  }

  private async lockAndUpdateSecret(
    io: PluginIo,
    params: Parameters<PluginIo['getLockAndUpdateSecret']>[0],
    options?: EngineRequestOptions,
  ): Promise<DcmLockAndUpdateSecretResult> {
    if (typeof params !== 'object' || params === null) {
      throw new TransportError('TRANSPORT_CONFIG', 'getLockAndUpdateSecret needs a parameters object');
    }
    const { connectionId, credentialRole, secretType } = params;
    const target = { connectionId, credentialRole, secretType };
    const lock = await io.getWriteLock({ ...target, expiresIn: params.lockExpiresIn }, options);
    const secretLockId = lock.secretLockId;
    if (typeof secretLockId !== 'string') {
      throw new TransportError(
        'TRANSPORT_PROTOCOL',
        'the DCM lockSecret response carries no string secretLockId',
      );
    }
    let update: DcmObject;
    try {
      update = await io.updateConnectionSecret(
        {
          ...target,
          lockId: secretLockId,
          value: params.value,
          expiresOn: params.expiresOn,
          parameters: params.parameters,
        },
        options,
      );
    } catch (error) {
      // Leave no lock behind; the update's failure is the one worth reporting.
      await io.freeWriteLock({ ...target, lockId: secretLockId }, options).catch(() => undefined);
      throw error;
    }
    const unlock = await io.freeWriteLock({ ...target, lockId: secretLockId }, options);
    return { secretLockId, update, unlock };
  }

  private async closeAnchor(anchorName: string): Promise<void> {
    if (this.closedOutgoingAnchors.has(anchorName)) return;
    this.closedOutgoingAnchors.add(anchorName);
    // After the anchor's last write: the close must not overtake pieces still queued for it.
    await this.writeLock.run(anchorName, () =>
      this.recordOut.push({ closeOutgoingAnchor: { name: anchorName } }),
    );
  }

  private checkOutgoingAnchor(anchorName: string): void {
    if (this.outgoingAnchors[anchorName] === undefined) {
      throw new TransportError(
        'TRANSPORT_UNKNOWN_ANCHOR',
        `'${anchorName}' is not an outgoing anchor of this tool`,
        {
          anchorName,
        },
      );
    }
    if (this.closedOutgoingAnchors.has(anchorName)) {
      throw new TransportError('TRANSPORT_CLOSED', `outgoing anchor '${anchorName}' is closed`, {
        anchorName,
      });
    }
    if (this.failure !== undefined) throw this.failure;
  }

  private async writeToAnchor(anchorName: string, data: Table | RecordBatch): Promise<void> {
    this.checkOutgoingAnchor(anchorName);
    if (!(data instanceof Table) && !(data instanceof RecordBatch)) {
      throw new TransportError(
        'TRANSPORT_CONFIG',
        `writeToAnchor('${anchorName}') needs an Arrow Table or RecordBatch`,
        {
          anchorName,
        },
      );
    }
    // Resolving only once the last piece is written keeps the promise that `data` may be reused then:
    // the http2 carrier writes the pieces' data without copying it.
    let lastWrite: Promise<void> = Promise.resolve();
    await this.writeLock.run(anchorName, async () => {
      for (const chunk of encodeChunks(data, { maxChunkBytes: this.settings.maxOutputChunkBytes })) {
        const completion = chunk.endOfChunk ? this.writeCompletions.track() : undefined;
        await this.recordOut.push(
          outgoingRecordsMessage(
            { anchorName, connectionName: '', data: chunk.data, endOfChunk: chunk.endOfChunk },
            completion?.onWritten,
          ),
        );
        if (completion !== undefined) lastWrite = completion.written;
      }
    });
    await lastWrite;
  }

  private createProvider(toolConfigXml: string, environment: PluginProvider['environment']): PluginProvider {
    const io: PluginIo = {
      info: (message, options) =>
        this.sendOutputMessage(OutputMessageType.info, message, priorityOf(options)),
      warn: (message, options) =>
        this.sendOutputMessage(OutputMessageType.warning, message, priorityOf(options)),
      error: (message, options) =>
        this.sendOutputMessage(OutputMessageType.error, message, priorityOf(options)),
      updateProgress: (fraction) => this.updateProgress(fraction),
      translateMsg: (unlocalized, ...interpolation) => this.translate(unlocalized, interpolation),
      translateMsgUseCallback: (callback, unlocalized, ...interpolation) => {
        const done = io
          .translateMsg(unlocalized, ...interpolation)
          .then((translated) => callback(translated))
          .catch((error: unknown) => {
            this.fail(this.pluginError('translateMsgUseCallback callback', error));
          });
        this.track(done);
      },
      decryptPassword: (encrypted, options) => this.decryptPassword(encrypted, options),
      getConnection: (connectionId, options) => this.dcm(() => getConnectionRequest(connectionId), options),
      getWriteLock: (params, options) => this.dcm(() => lockSecretRequest(params), options),
      freeWriteLock: (params, options) => this.dcm(() => unlockSecretRequest(params), options),
      updateConnectionSecret: (params, options) => this.dcm(() => updateSecretRequest(params), options),
      getLockAndUpdateSecret: (params, options) => this.lockAndUpdateSecret(io, params, options),
    };
    return Object.freeze({
      toolConfigXml,
      environment,
      incomingAnchors: this.incomingAnchors,
      outgoingAnchors: this.outgoingAnchors,
      io: Object.freeze(io),
      signal: this.abortController.signal,
      writeToAnchor: (anchorName: string, data: Table | RecordBatch) =>
        this.track(this.writeToAnchor(anchorName, data)),
      pushOutgoingMetadata: (anchorName: string, schema: Schema) => {
        this.checkOutgoingAnchor(anchorName);
        void this.controlOut
          .push({ outgoingMetadata: { outputAnchorName: anchorName, schema: serializeSchema(schema) } })
          .catch(() => undefined);
      },
      closeOutgoingAnchor: (anchorName: string) => {
        if (this.outgoingAnchors[anchorName] === undefined)
          return Promise.reject(this.unknownOutgoing(anchorName));
        return this.track(this.closeAnchor(anchorName));
      },
      saveToolConfig: (configXml: string) =>
        this.sendOutputMessage(OutputMessageType.updateOutputConfigXml, configXml),
    });
  }

  private unknownOutgoing(anchorName: string): TransportError {
    return new TransportError(
      'TRANSPORT_UNKNOWN_ANCHOR',
      `'${anchorName}' is not an outgoing anchor of this tool`,
      {
        anchorName,
      },
    );
  }
}
