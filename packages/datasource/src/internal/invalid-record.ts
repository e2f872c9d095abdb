import { InvalidRecordError } from '../errors/invalid-record-error';
import { UnencodableValueError } from './python-json';

/**
 * The typed error for a record a sink could not encode. `where` names the record (`record 3 of
 * batch 7 for table "orders"`); the message adds where inside it the problem is.
 */
export function toInvalidRecordError(error: unknown, where: string): InvalidRecordError {
  if (InvalidRecordError.isInstance(error)) return error;
  const detail =
    error instanceof UnencodableValueError
      ? error.describe()
      : error instanceof Error
        ? error.message
        : String(error);
  return new InvalidRecordError(`${where} cannot be serialised: ${detail}`, { cause: error });
}
