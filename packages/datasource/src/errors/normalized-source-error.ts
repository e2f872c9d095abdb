import { DatasourceError } from './datasource-error';

/** The step of a data source run an error came from (Panoply's `Phase`). */
export type ErrorPhase = 'collect' | 'config';

/** Fields of a {@link NormalizedSourceError}. */
export interface NormalizedSourceErrorFields {
  /** Human description of the original error. */
  readonly message: string;
  /** Panoply internal code: 400, 401, 403, 404, 408, 422, 429, 500, 501 or 506. */
  readonly internalCode: number;
  /** `<module>.<name>` in Python; here the original error's constructor name. */
  readonly exceptionClass: string;
  readonly phase: ErrorPhase;
  /** `source.type`, or `undefined` when the source lacks it (internal code 506 then). */
  readonly sourceType: unknown;
  readonly sourceId: unknown;
  readonly databaseId: unknown;
  /** The original error. */
  readonly cause: unknown;
}

/**
 * An error normalised by `wrapErrors` (Panoply's `DataSourceException`): it carries the Panoply
 * internal code, the phase and the source identity. `retryable` follows the original error.
 */
export class NormalizedSourceError extends DatasourceError {
  /** Panoply internal code (see `ERROR_CODE_DESCRIPTIONS`). */
  readonly internalCode: number;
  readonly exceptionClass: string;
  /** Rewritten by every enclosing `wrapErrors`, so the outermost phase wins. */
  phase: ErrorPhase;
  readonly sourceType: unknown;
  readonly sourceId: unknown;
  readonly databaseId: unknown;
  /** When the error was normalised. */
  readonly createdAt: Date;

  constructor(fields: NormalizedSourceErrorFields, retryable = true) {
    super('DATASOURCE_NORMALIZED', `(${fields.internalCode} ${fields.phase}) ${fields.message}`, {
      cause: fields.cause,
      retryable,
    });
    this.internalCode = fields.internalCode;
    this.exceptionClass = fields.exceptionClass;
    this.phase = fields.phase;
    this.sourceType = fields.sourceType;
    this.sourceId = fields.sourceId;
    this.databaseId = fields.databaseId;
    this.createdAt = new Date();
  }
}
