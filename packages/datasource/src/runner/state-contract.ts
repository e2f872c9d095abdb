import type { DataRecord, SourceStateEvent } from '../data-source';
import { StateContractError } from '../errors/state-contract-error';

/**
 * The `__state` contract the runner holds every batch to, for code that drives a DataSource itself (an
 * adapter to another engine): every record is an object; with `strict`, every record carries `__state`;
 * a record that carries it names a state reported with `state()` before the batch was returned. Returns
 * the ids the batch's records use, in no particular order: the states those ids carry are the ones the
 * batch moves the run to once it is delivered.
 *
 * @throws StateContractError naming the first record that breaks the contract.
 */
export function stateIdsOfBatch(
  batch: readonly DataRecord[],
  reported: readonly SourceStateEvent[],
  strict: boolean,
): Set<string> {
  const reportedIds = new Set(reported.map((event) => event.stateId));
  const used = new Set<string>();
  batch.forEach((record, index) => {
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      throw new StateContractError(`record ${index} of the batch is not an object`);
    }
    const stateId = record.__state;
    if (stateId === undefined) {
      if (strict) throw new StateContractError(`record ${index} of the batch has no __state`);
    } else if (typeof stateId !== 'string' || !reportedIds.has(stateId)) {
      throw new StateContractError(
        `record ${index} carries __state ${JSON.stringify(stateId)}, which was not reported with state() before the batch was returned`,
      );
    } else {
      used.add(stateId);
    }
  });
  return used;
}
