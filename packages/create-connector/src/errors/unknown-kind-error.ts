import { CreateConnectorError, type CreateConnectorErrorOptions } from './create-connector-error';

/** `--kind` named no kind this generator knows; `knownKinds` lists the ones it does. */
export class UnknownKindError extends CreateConnectorError {
  /** The kind that was asked for. */
  readonly kind: string;
  /** Every kind the generator can scaffold. */
  readonly knownKinds: readonly string[];

  constructor(kind: string, knownKinds: readonly string[], options: CreateConnectorErrorOptions = {}) {
    super(
      'CREATE_CONNECTOR_UNKNOWN_KIND',
      `unknown connector kind ${JSON.stringify(kind)}; use one of: ${knownKinds.join(', ')}`,
      options,
    );
    this.kind = kind;
    this.knownKinds = knownKinds;
  }
}
