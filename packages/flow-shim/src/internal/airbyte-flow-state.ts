import type { AirbyteStatePayload } from '../airbyte/airbyte-driver';
import { FlowConnectorError } from '../errors/flow-connector-error';
import { FlowStateError } from '../errors/flow-state-error';
import type { JsonObject, JsonValue } from '../protocol/flow-specs';
import { createMergePatch } from '../protocol/merge-patch';
import { streamId } from './airbyte-mapping';
import { ownValue, setOwn } from './own-property';

/** One bound stream as the state keeper sees it. */
export interface AirbyteStateSlot {
  stateKey: string;
  stream: string;
  namespace: string | undefined;
  syncMode: 'incremental' | 'full_refresh';
}

interface SlotState {
  slot: AirbyteStateSlot;
  /** Latest STREAM-typed state of this stream (also the per-stream part of a GLOBAL state). */
  state: JsonObject | undefined;
  nextRowId: number;
  /** Row id the session started from; a binding with no state that has not moved needs no entry. */
  initialRowId: number;
  /** The entry as last written to a checkpoint (or restored), for merge-patch diffs. */
  committed: JsonValue | undefined;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Keeps the Flow connector state of the Airbyte shim. Layout (readable by and written like the
 * Python shim's): `{"bindingStateV1": {<stateKey>: {"state": <AirbyteStateMessage STREAM>, "rowId":
 * <next row id>}}}`, plus `airbyteGlobalV1: {"shared_state": ...}` for GLOBAL state and
 * `airbyteLegacyV1` for a LEGACY blob. In merge-patch mode each checkpoint carries only the
 * changed bindings as an RFC 7396 patch; in compatibility mode the whole state, `mergePatch: false`.
 */
export class AirbyteFlowState {
  private readonly slots: SlotState[];
  private readonly byStream = new Map<string, SlotState>();
  private globalShared: JsonObject | undefined;
  private committedGlobal: JsonValue | undefined;
  private legacy: JsonValue | undefined;
  private committedLegacy: JsonValue | undefined;

  constructor(
    openState: JsonValue,
    slots: readonly AirbyteStateSlot[],
    private readonly mergePatch: boolean,
    private readonly connector: string,
  ) {
    if (!isObject(openState)) throw new FlowStateError('/', 'connector state must be a JSON object');
    const bindingStates = openState.bindingStateV1 ?? {};
    if (!isObject(bindingStates)) throw new FlowStateError('bindingStateV1', 'must be an object');
    this.slots = slots.map((slot) => {
      const entry = ownValue(bindingStates, slot.stateKey);
      const location = `bindingStateV1/${slot.stateKey}`;
      if (entry !== undefined && entry !== null && !isObject(entry))
        throw new FlowStateError(location, 'must be an object');
      const rowId = entry?.rowId;
      if (rowId !== undefined && (typeof rowId !== 'number' || !Number.isInteger(rowId) || rowId < 0)) {
        throw new FlowStateError(`${location}/rowId`, 'must be a non-negative integer');
      }
      const state = entry?.state;
      if (state !== undefined && state !== null && !isObject(state)) {
        throw new FlowStateError(`${location}/state`, 'must be an Airbyte state message object');
      }
      // A full-refresh sweep restarts its row ids unless it is resuming an interrupted sweep.
      const resuming = slot.syncMode === 'incremental' || isObject(state);
      const nextRowId = resuming && typeof rowId === 'number' ? rowId : 1;
      const slotState: SlotState = {
        slot,
        state: isObject(state) ? state : undefined,
        nextRowId,
        initialRowId: nextRowId,
        committed: entry ?? undefined,
      };
      this.byStream.set(streamId(slot.stream, slot.namespace), slotState);
      return slotState;
    });
    const global = openState.airbyteGlobalV1;
    if (global !== undefined && global !== null) {
      if (!isObject(global)) throw new FlowStateError('airbyteGlobalV1', 'must be an object');
      this.globalShared = global;
      this.committedGlobal = global;
    }
    if (openState.airbyteLegacyV1 !== undefined && openState.airbyteLegacyV1 !== null) {
      this.legacy = openState.airbyteLegacyV1;
      this.committedLegacy = this.legacy;
    }
  }

  /** The state to hand to the Airbyte connector's `read`. */
  incoming(): AirbyteStatePayload[] {
    if (this.legacy !== undefined) return [{ type: 'LEGACY', data: this.legacy }];
    const streamStates = this.slots
      .filter((slot) => slot.state !== undefined)
      .map((slot) => streamComponent(slot.state as JsonObject, slot.slot))
      .filter((component) => component !== undefined);
    if (this.globalShared !== undefined) {
      return [
        {
          type: 'GLOBAL',
          global: {
            shared_state: (this.globalShared.shared_state ?? null) as JsonValue,
            stream_states: streamStates,
          },
        },
      ];
    }
    return streamStates.map((component) => ({ type: 'STREAM' as const, stream: component }));
  }

  /** Next `_meta.row_id` of the binding with this slot index (then advances it). */
  takeRowId(index: number): number {
    const slot = this.slots[index] as SlotState;
    const rowId = slot.nextRowId;
    slot.nextRowId += 1;
    return rowId;
  }

  /** Binding index of a stream, or undefined when it is not bound. */
  bindingOf(stream: string, namespace: string | null | undefined): number | undefined {
    const slot = this.byStream.get(streamId(stream, namespace));
    return slot === undefined ? undefined : this.slots.indexOf(slot);
  }

  /**
   * Folds an Airbyte STATE message in. Throws {@link FlowConnectorError} `FLOW_UNKNOWN_STREAM` for a
   * STREAM state of a stream that is not bound (unless `onUnknownStream` says to skip it).
   */
  apply(payload: AirbyteStatePayload, onUnknownStream: (stream: string) => void): void {
    const type = payload.type ?? (payload.data !== undefined ? 'LEGACY' : undefined);
    if (type === 'STREAM') {
      const descriptor = payload.stream?.stream_descriptor;
      if (!descriptor || typeof descriptor.name !== 'string') {
        throw new FlowConnectorError(
          'FLOW_CONNECTOR_OUTPUT',
          this.connector,
          '',
          'STREAM state without a stream descriptor',
        );
      }
      const slot = this.byStream.get(streamId(descriptor.name, descriptor.namespace));
      if (!slot) {
        onUnknownStream(streamId(descriptor.name, descriptor.namespace));
        return;
      }
      slot.state = { type: 'STREAM', stream: payload.stream as unknown as JsonValue };
      return;
    }
    if (type === 'GLOBAL') {
      const global = payload.global ?? (payload as { global_?: AirbyteStatePayload['global'] }).global_;
      if (!global)
        throw new FlowConnectorError(
          'FLOW_CONNECTOR_OUTPUT',
          this.connector,
          '',
          'GLOBAL state without `global`',
        );
      this.globalShared = { shared_state: (global.shared_state ?? null) as JsonValue };
      for (const component of global.stream_states ?? []) {
        const slot = this.byStream.get(
          streamId(component.stream_descriptor.name, component.stream_descriptor.namespace),
        );
        if (!slot) {
          onUnknownStream(streamId(component.stream_descriptor.name, component.stream_descriptor.namespace));
          continue;
        }
        slot.state = { type: 'STREAM', stream: component as unknown as JsonValue };
      }
      return;
    }
    if (type === 'LEGACY') {
      this.legacy = payload.data ?? {};
      return;
    }
    throw new FlowConnectorError(
      'FLOW_CONNECTOR_OUTPUT',
      this.connector,
      '',
      `STATE of unknown type ${JSON.stringify(payload.type)}`,
    );
  }

  /**
   * The checkpoint for the current state. With `endOfSweep`, full-refresh bindings are cleared so
   * the next session starts a new sweep (their row ids from 1 again).
   */
  checkpoint(endOfSweep: boolean): { updated: JsonObject; mergePatch: boolean } {
    if (endOfSweep) {
      for (const slot of this.slots) {
        if (slot.slot.syncMode === 'full_refresh') {
          slot.state = undefined;
          slot.nextRowId = 1;
        }
      }
    }
    const entries = this.slots.map((slot) => ({ slot, entry: this.entryOf(slot, endOfSweep) }));
    const global = this.globalShared;
    if (!this.mergePatch) {
      const bindingStateV1: JsonObject = {};
      for (const { slot, entry } of entries) {
        if (entry !== undefined) setOwn(bindingStateV1, slot.slot.stateKey, entry);
        slot.committed = entry;
      }
      const updated: JsonObject = { bindingStateV1 };
      if (global !== undefined) updated.airbyteGlobalV1 = global;
      if (this.legacy !== undefined) updated.airbyteLegacyV1 = this.legacy;
      return { updated, mergePatch: false };
    }
    const bindingStateV1: JsonObject = {};
    for (const { slot, entry } of entries) {
      if (entry === undefined) {
        if (slot.committed !== undefined) setOwn(bindingStateV1, slot.slot.stateKey, null);
      } else {
        const patch = createMergePatch(slot.committed, entry);
        if (patch !== undefined) setOwn(bindingStateV1, slot.slot.stateKey, patch);
      }
      slot.committed = entry;
    }
    const updated: JsonObject = {};
    if (Object.keys(bindingStateV1).length > 0) updated.bindingStateV1 = bindingStateV1;
    if (global !== undefined) {
      const patch = createMergePatch(this.committedGlobal, global);
      if (patch !== undefined) updated.airbyteGlobalV1 = patch;
      this.committedGlobal = global;
    }
    if (this.legacy !== undefined) {
      const patch = createMergePatch(this.committedLegacy, this.legacy);
      if (patch !== undefined) updated.airbyteLegacyV1 = patch;
      this.committedLegacy = this.legacy;
    }
    return { updated, mergePatch: true };
  }

  private entryOf(slot: SlotState, endOfSweep: boolean): JsonObject | undefined {
    if (endOfSweep && slot.slot.syncMode === 'full_refresh') return undefined;
    if (slot.committed === undefined && slot.state === undefined && slot.nextRowId === slot.initialRowId)
      return undefined;
    const entry: JsonObject = { rowId: slot.nextRowId };
    if (slot.state !== undefined) entry.state = slot.state;
    return entry;
  }
}

function streamComponent(
  state: JsonObject,
  slot: AirbyteStateSlot,
): NonNullable<AirbyteStatePayload['stream']> | undefined {
  const stream = state.stream;
  if (isObject(stream) && isObject(stream.stream_descriptor)) {
    return stream as unknown as NonNullable<AirbyteStatePayload['stream']>;
  }
  // A bare stream state (older layouts): attach the binding's descriptor.
  return {
    stream_descriptor: { name: slot.stream, ...(slot.namespace ? { namespace: slot.namespace } : {}) },
    stream_state: state,
  };
}
