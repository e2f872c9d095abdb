import { ConnectorStateManager, StateParseError } from '@sdk/stream-cdk';

/**
 * The `stream_state` the bridge writes for every stream of a DataSource. A DataSource keeps ONE state
 * for all the tables it writes, so each stream carries the whole of it, numbered: the highest
 * `sequence` is the newest, whichever stream carries it (the platform may hand back an older state for
 * a stream that was not in the last catalog).
 */
export interface BridgeStreamState {
  /** The DataSource's merged state (`state(id, …)` events merged shallowly, later keys winning). */
  readonly datasource_state: Record<string, unknown>;
  /** Grows by one with every checkpoint, across runs. */
  readonly sequence: number;
  /** Set on the final state of a full refresh that ended: the next full refresh starts over. */
  readonly complete?: true;
}

/** The newest bridge state among the incoming per-stream states, or `undefined` when there is none. */
export function newestBridgeState(incoming: unknown): BridgeStreamState | undefined {
  const manager = new ConnectorStateManager(incoming);
  let newest: BridgeStreamState | undefined;
  for (const payload of manager.toStateMessages()) {
    const descriptor = payload.stream?.stream_descriptor;
    const candidate = payload.stream?.stream_state as Partial<BridgeStreamState> | undefined;
    if (candidate === undefined || candidate === null || Object.keys(candidate).length === 0) continue;
    if (!isBridgeState(candidate)) {
      throw new StateParseError(
        `the state of stream "${descriptor?.name ?? '?'}" was not written by the DataSource bridge: expected {"datasource_state": {...}, "sequence": n}`,
      );
    }
    if (newest === undefined || candidate.sequence > newest.sequence) newest = candidate;
  }
  return newest;
}

function isBridgeState(value: Partial<BridgeStreamState>): value is BridgeStreamState {
  const state = value.datasource_state;
  return (
    typeof state === 'object' &&
    state !== null &&
    !Array.isArray(state) &&
    Number.isSafeInteger(value.sequence) &&
    (value.complete === undefined || value.complete === true)
  );
}
