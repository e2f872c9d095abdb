import { FlowStateError } from '../errors/flow-state-error';
import type { JsonObject, JsonValue } from '../protocol/flow-specs';
import { createMergePatch } from '../protocol/merge-patch';
import { ownValue, setOwn } from './own-property';

/** Key of the row counter kept inside each binding's bookmark (the Python shim's name). */
export const ROW_COUNTER_KEY = 'estuary.dev/rowCounter';

interface Slot {
  stateKey: string;
  tapStreamId: string;
  fullTable: boolean;
  bookmark: JsonObject | undefined;
  nextRowId: number;
  initialRowId: number;
  committed: JsonValue | undefined;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Flow state of the Singer shim: `{"bindingStateV1": {<stateKey>: <Singer bookmark> +
 * {"estuary.dev/rowCounter": <next row id>}}}` ⇄ Singer `{"bookmarks": {<tap_stream_id>: ...}}`.
 * Merge-patch mode sends per-binding diffs; compatibility mode the whole state, `mergePatch: false`.
 */
export class SingerFlowState {
  private readonly slots: Slot[];
  private readonly byStream = new Map<string, Slot>();

  constructor(
    openState: JsonValue,
    bindings: ReadonlyArray<{ stateKey: string; tapStreamId: string; fullTable: boolean }>,
    private readonly mergePatch: boolean,
  ) {
    if (!isObject(openState)) throw new FlowStateError('/', 'connector state must be a JSON object');
    const states = openState.bindingStateV1 ?? {};
    if (!isObject(states)) throw new FlowStateError('bindingStateV1', 'must be an object');
    this.slots = bindings.map((binding) => {
      const entry = ownValue(states, binding.stateKey);
      if (entry !== undefined && entry !== null && !isObject(entry)) {
        throw new FlowStateError(`bindingStateV1/${binding.stateKey}`, 'must be an object');
      }
      const counter = entry?.[ROW_COUNTER_KEY];
      if (
        counter !== undefined &&
        (typeof counter !== 'number' || !Number.isInteger(counter) || counter < 0)
      ) {
        throw new FlowStateError(
          `bindingStateV1/${binding.stateKey}/${ROW_COUNTER_KEY}`,
          'must be a non-negative integer',
        );
      }
      let bookmark: JsonObject | undefined;
      if (entry) {
        const { [ROW_COUNTER_KEY]: _counter, ...rest } = entry;
        bookmark = rest;
      }
      const nextRowId = typeof counter === 'number' ? counter : 1;
      const slot: Slot = {
        ...binding,
        bookmark,
        nextRowId,
        initialRowId: nextRowId,
        committed: entry ?? undefined,
      };
      this.byStream.set(binding.tapStreamId, slot);
      return slot;
    });
  }

  /** Singer state for the tap's `--state`, or undefined when there is none. */
  singerState(): JsonObject | undefined {
    const bookmarks: JsonObject = {};
    for (const slot of this.slots)
      if (slot.bookmark !== undefined) setOwn(bookmarks, slot.tapStreamId, slot.bookmark);
    return Object.keys(bookmarks).length > 0 ? { bookmarks } : undefined;
  }

  /** Binding index of a Singer stream id, or undefined. */
  bindingOf(tapStreamId: string): number | undefined {
    const slot = this.byStream.get(tapStreamId);
    return slot === undefined ? undefined : this.slots.indexOf(slot);
  }

  takeRowId(index: number): number {
    const slot = this.slots[index] as Slot;
    const rowId = slot.nextRowId;
    slot.nextRowId += 1;
    return rowId;
  }

  /** Folds a Singer STATE `value` in; bookmarks of unbound streams go to `onUnknownStream`. */
  apply(value: JsonValue, onUnknownStream: (stream: string) => void): void {
    const bookmarks = isObject(value) && isObject(value.bookmarks) ? value.bookmarks : {};
    for (const [stream, bookmark] of Object.entries(bookmarks)) {
      const slot = this.byStream.get(stream);
      if (!slot) {
        onUnknownStream(stream);
        continue;
      }
      slot.bookmark = isObject(bookmark) ? bookmark : {};
    }
  }

  /** The checkpoint of the current state; `endOfSweep` restarts FULL_TABLE row counters at 1. */
  checkpoint(endOfSweep: boolean): { updated: JsonObject; mergePatch: boolean } {
    if (endOfSweep) {
      for (const slot of this.slots) if (slot.fullTable) slot.nextRowId = 1;
    }
    const bindingStateV1: JsonObject = {};
    for (const slot of this.slots) {
      const untouched =
        slot.committed === undefined && slot.bookmark === undefined && slot.nextRowId === slot.initialRowId;
      const entry: JsonObject | undefined = untouched
        ? undefined
        : { ...(slot.bookmark ?? {}), [ROW_COUNTER_KEY]: slot.nextRowId };
      if (this.mergePatch) {
        if (entry !== undefined) {
          const patch = createMergePatch(slot.committed, entry);
          if (patch !== undefined) setOwn(bindingStateV1, slot.stateKey, patch);
        }
      } else if (entry !== undefined) {
        setOwn(bindingStateV1, slot.stateKey, entry);
      }
      if (entry !== undefined) slot.committed = entry;
    }
    if (this.mergePatch) {
      return { updated: Object.keys(bindingStateV1).length > 0 ? { bindingStateV1 } : {}, mergePatch: true };
    }
    return { updated: { bindingStateV1 }, mergePatch: false };
  }
}
