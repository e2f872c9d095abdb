import type { RecordBatch, Table } from 'apache-arrow';
import type { EngineRunOptions, EngineRunResult, IncomingAnchorSpec, PluginOutput } from './engine-run.js';
import { asTransportError } from './internal/error-status.js';
import type { PluginConnection } from './plugin-connection.js';

/** Input of one connection: tables (or batches) sent in order, each as one IPC stream. */
export type ConnectionInput = Iterable<Table | RecordBatch> | AsyncIterable<Table | RecordBatch>;

/** Options of {@link runPlugin}: a run's options plus the input data. */
export interface RunPluginOptions extends Omit<EngineRunOptions, 'incomingAnchors'> {
  /**
   * Input by anchor, then by connection: `{ Input: { '#1': [table] } }`. Connections are sent
   * concurrently (their pieces interleave on the wire), each connection's tables in order. Defaults to none.
   */
  inputs?: Readonly<Record<string, Readonly<Record<string, ConnectionInput>>>>;
  /** Called for each output as it arrives; when given, outputs are not kept in the result. */
  onOutput?: (output: PluginOutput) => void | Promise<void>;
}

/** Result of {@link runPlugin}. */
export interface RunPluginResult extends EngineRunResult {
  /** Tables written to each outgoing anchor, in order (empty when `onOutput` is given). */
  readonly outputs: ReadonlyMap<string, readonly Table[]>;
}

/**
 * Runs a plugin over in-memory input from start to confirmed completion: initialises it, streams every
 * connection, completes, and collects outputs at the same time (so backpressure never deadlocks).
 * Rejects with the run's TransportError; a send that fails (e.g. a value that is not an Arrow Table or
 * RecordBatch of this package's apache-arrow build) cancels the run at once and rejects with its error.
 */
export async function runPlugin(
  connection: PluginConnection,
  options: RunPluginOptions = {},
): Promise<RunPluginResult> {
  const { inputs = {}, onOutput, ...runOptions } = options;
  const incomingAnchors: IncomingAnchorSpec[] = Object.entries(inputs).map(([name, connections]) => ({
    name,
    connections: Object.keys(connections),
  }));
  const run = connection.startRun({ ...runOptions, incomingAnchors });
  const outputs = new Map<string, Table[]>();
  const collecting = (async () => {
    for await (const output of run.outputs) {
      if (onOutput !== undefined) await onOutput(output);
      else {
        const tables = outputs.get(output.anchorName) ?? [];
        tables.push(output.table);
        outputs.set(output.anchorName, tables);
      }
    }
  })();
  const sending = (async () => {
    await Promise.all(
      Object.entries(inputs).flatMap(([anchorName, connections]) =>
        Object.entries(connections).map(async ([connectionName, tables]) => {
          for await (const table of tables) await run.send(anchorName, connectionName, table);
          await run.completeConnection(anchorName, connectionName);
        }),
      ),
    );
    await run.complete();
  })().catch((error: unknown) => {
    // A failed send (input the encoder refuses, an input iterable that throws) ends the run at once:
    // left running, the plugin would wait for input that never comes, until the run's timeout.
    run.failWith(asTransportError(error, 'TRANSPORT_CANCELLED', 'sending the input failed'));
    throw error;
  });
  // The run's own error explains a failed send or read best, so report that one.
  const [sent, collected, finished] = await Promise.allSettled([sending, collecting, run.finished]);
  if (finished.status === 'rejected') throw finished.reason;
  if (sent.status === 'rejected') throw sent.reason;
  if (collected.status === 'rejected') throw collected.reason;
  return { ...finished.value, outputs };
}
