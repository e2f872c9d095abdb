import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { StateParseError } from '../errors/state-parse-error';
import type { AirbyteStateMessage } from '../protocol/airbyte-protocol';
import { ConnectorStateManager, type IncomingState } from '../state/connector-state-manager';
import { type NextRunStateOptions, statesForNextRun } from '../testing/read-source';

/**
 * The `--state` of the next run from the output of a read (one JSON message per line): the previous
 * state with the latest STATE of every stream applied over it. Lines that are not JSON objects, and
 * messages other than STATE, are skipped; `options` as for `mergeStateForNextRun` (the platform ignores them too); a malformed STATE message
 * is a {@link StateParseError} naming its line. Reads the input line by line: a read of any size fits.
 */
export async function stateFromMessageLines(
  input: Readable,
  previousState: IncomingState,
  options: NextRunStateOptions = {},
): Promise<AirbyteStateMessage['state'][]> {
  const manager = new ConnectorStateManager(previousState);
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber++;
    // Cheap filter first: records are most of a read and never need parsing here.
    if (!line.includes('"STATE"')) continue;
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      continue;
    }
    if (typeof message !== 'object' || message === null || (message as { type?: unknown }).type !== 'STATE')
      continue;
    try {
      manager.applyStateMessage((message as { state?: unknown }).state, lineNumber);
    } catch (error) {
      if (!StateParseError.isInstance(error)) throw error;
      throw new StateParseError(
        `the STATE message on line ${lineNumber} is malformed: ${error.message.replace(/^\[[A-Z_]+\] /, '')}`,
      );
    }
  }
  return statesForNextRun(manager.toStateMessages(), options);
}
