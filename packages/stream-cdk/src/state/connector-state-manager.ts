import { StateParseError } from '../errors/state-parse-error';
import type { AirbyteStateMessage, JsonObject, StreamDescriptor } from '../protocol/airbyte-protocol';
import { streamStateMessage } from '../protocol/message-factories';

/**
 * Incoming state as a `--state` file holds it: an array of STATE payloads (`type` STREAM, GLOBAL or
 * LEGACY), or of whole STATE messages, or a legacy object `{streamName: state}`. Null or undefined
 * means no state.
 */
export type IncomingState = unknown;

/** `type` values of a STATE message or payload, which a legacy state object never has as strings. */
const STATE_SHAPES = new Set(['STATE', 'STREAM', 'GLOBAL', 'LEGACY']);

function descriptorKey(name: string, namespace: string | undefined): string {
  return namespace ? `${namespace}\u0000${name}` : name;
}

function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Holds the state of every stream during a read. Parses incoming STREAM / GLOBAL / LEGACY state with
 * a {@link StateParseError} (`CDK_STATE_INVALID`, a config error) for anything malformed, hands out
 * deep copies, and builds per-stream STATE messages (always `type: STREAM`).
 */
export class ConnectorStateManager {
  private readonly states = new Map<string, { descriptor: StreamDescriptor; state: JsonObject | null }>();

  constructor(incoming?: IncomingState) {
    if (incoming === null || incoming === undefined) return;
    if (Array.isArray(incoming)) {
      incoming.forEach((entry, index) => {
        this.readStateEntry(entry, index);
      });
      return;
    }
    if (isPlainObject(incoming)) {
      if (typeof incoming.type === 'string' && STATE_SHAPES.has(incoming.type)) {
        // One STATE message (say the last line of a read) is not a state file: with several streams it
        // covers one of them. A legacy object never has a string value, so this cannot be one.
        throw new StateParseError(
          `state is a single ${incoming.type} object, but it must be a JSON array holding the latest state of every stream (the platform's format: [{"type":"STREAM","stream":{"stream_descriptor":{"name":...},"stream_state":{...}}}, ...]); build it from a read's output with the source's "state-from-messages" command`,
        );
      }
      this.readLegacy(incoming);
      return;
    }
    throw new StateParseError(
      `state must be a JSON array of state messages (or a legacy object), got ${typeof incoming}`,
    );
  }

  /** A deep copy of the stream's state, or `{}` when there is none (or it is null). */
  getStreamState(name: string, namespace?: string): JsonObject {
    const entry = this.states.get(descriptorKey(name, namespace));
    if (entry?.state === null || entry?.state === undefined) return {};
    return structuredClone(entry.state);
  }

  /** Replaces the stream's state (kept as a deep copy, so later changes by the stream do not leak in). */
  updateStateForStream(name: string, namespace: string | undefined, state: JsonObject | null): void {
    this.states.set(descriptorKey(name, namespace), {
      descriptor: namespace ? { name, namespace } : { name },
      state: state === null ? null : structuredClone(state),
    });
  }

  /** A STATE message with the stream's current state (`{}` when none), optionally with `sourceStats.recordCount`. */
  createStateMessage(name: string, namespace: string | undefined, recordCount?: number): AirbyteStateMessage {
    return streamStateMessage({ name, namespace }, this.getStreamState(name, namespace), recordCount);
  }

  /** Every known stream's state, as STREAM state payloads (what a `--state` file for the next run holds). */
  toStateMessages(): AirbyteStateMessage['state'][] {
    return [...this.states.values()].map(
      ({ descriptor }) => this.createStateMessage(descriptor.name, descriptor.namespace).state,
    );
  }

  /**
   * Applies one STATE message or payload (as a read emits it) over the states held: a STREAM entry
   * replaces that stream's state, a GLOBAL one each of its streams', a LEGACY one each stream it names.
   * Throws {@link StateParseError} for a malformed entry. `index` only labels error messages.
   */
  applyStateMessage(message: unknown, index = 0): void {
    this.readStateEntry(message, index);
  }

  private readStateEntry(raw: unknown, index: number): void {
    if (!isPlainObject(raw)) throw new StateParseError(`state entry ${index} must be an object`);
    // Accept whole messages ({"type":"STATE","state":{...}}) as well as bare payloads.
    const entry = raw.type === 'STATE' && isPlainObject(raw.state) ? raw.state : raw;
    const type = entry.type ?? 'LEGACY';
    if (type === 'STREAM') {
      this.readStreamState(entry.stream, `state entry ${index}`);
    } else if (type === 'GLOBAL') {
      const global = entry.global;
      if (!isPlainObject(global) || !Array.isArray(global.stream_states)) {
        throw new StateParseError(`GLOBAL state entry ${index} needs "global.stream_states" (an array)`);
      }
      if (isPlainObject(global.shared_state) && Object.keys(global.shared_state).length > 0) {
        throw new StateParseError(
          `GLOBAL state entry ${index} has a non-empty shared_state, which this CDK does not support (streams own their state)`,
        );
      }
      global.stream_states.forEach((streamState, streamIndex) => {
        this.readStreamState(streamState, `GLOBAL state entry ${index}, stream ${streamIndex}`);
      });
    } else if (type === 'LEGACY') {
      if (!isPlainObject(entry.data))
        throw new StateParseError(`LEGACY state entry ${index} needs a "data" object`);
      this.readLegacy(entry.data);
    } else {
      throw new StateParseError(`state entry ${index} has unknown type ${JSON.stringify(type)}`);
    }
  }

  private readStreamState(raw: unknown, where: string): void {
    if (!isPlainObject(raw) || !isPlainObject(raw.stream_descriptor)) {
      throw new StateParseError(`${where} needs "stream.stream_descriptor"`);
    }
    const { name, namespace } = raw.stream_descriptor;
    if (typeof name !== 'string' || name === '') throw new StateParseError(`${where} has no stream name`);
    if (namespace !== undefined && namespace !== null && typeof namespace !== 'string') {
      throw new StateParseError(`${where} has a non-string namespace`);
    }
    const blob = raw.stream_state;
    if (blob !== undefined && blob !== null && !isPlainObject(blob)) {
      throw new StateParseError(`${where}: stream_state of "${name}" must be an object or null`);
    }
    this.updateStateForStream(name, namespace ?? undefined, blob ?? null);
  }

  private readLegacy(data: JsonObject): void {
    for (const [name, blob] of Object.entries(data)) {
      if (blob !== null && !isPlainObject(blob)) {
        throw new StateParseError(`legacy state of "${name}" must be an object or null`);
      }
      this.updateStateForStream(name, undefined, blob);
    }
  }
}
