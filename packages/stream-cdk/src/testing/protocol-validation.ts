import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { ProtocolViolationError } from '../errors/protocol-violation-error';
// The Airbyte protocol's JSON schema (airbytehq/airbyte-protocol, protocol release 0.18.0), converted once
// from its YAML with the content unchanged; its `$comment` records the origin.
import protocolSchema from '../protocol/airbyte-protocol.schema.json';

const payloadKeyOf: Readonly<Record<string, string>> = {
  RECORD: 'record',
  STATE: 'state',
  LOG: 'log',
  TRACE: 'trace',
  SPEC: 'spec',
  CONNECTION_STATUS: 'connectionStatus',
  CATALOG: 'catalog',
  CONTROL: 'control',
};

interface ProtocolValidators {
  ajv: Ajv;
  message: ValidateFunction;
  configuredCatalog: ValidateFunction;
}

// Compiled on first use: a source's CLI imports this package but never validates its own output.
let validators: ProtocolValidators | undefined;

function protocolValidators(): ProtocolValidators {
  if (validators === undefined) {
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema(protocolSchema as object, 'airbyte-protocol');
    validators = {
      ajv,
      message: ajv.compile({ $ref: 'airbyte-protocol#/definitions/AirbyteMessage' }),
      configuredCatalog: ajv.compile({ $ref: 'airbyte-protocol#/definitions/ConfiguredAirbyteCatalog' }),
    };
  }
  return validators;
}

function problemsOf(validate: ValidateFunction): string[] {
  return (validate.errors ?? []).map(
    (error) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'}`,
  );
}

/**
 * Throws {@link ProtocolViolationError} unless `message` is a valid AirbyteMessage of the protocol schema
 * that also carries the payload its `type` names (the schema leaves every payload optional). `label` names
 * the message in the error, e.g. `line 12`. Defaults to `message`.
 */
export function assertValidAirbyteMessage(message: unknown, label = 'message'): void {
  const { message: validate } = protocolValidators();
  if (!validate(message)) {
    throw new ProtocolViolationError(
      `${label} is not a valid AirbyteMessage (${JSON.stringify(message)})`,
      problemsOf(validate),
    );
  }
  const type = (message as { type: string }).type;
  const payloadKey = payloadKeyOf[type];
  if (payloadKey === undefined || !(payloadKey in (message as object))) {
    throw new ProtocolViolationError(`${label} is not a valid AirbyteMessage`, [
      `type ${type} lacks its "${payloadKey}" payload`,
    ]);
  }
}

/** {@link assertValidAirbyteMessage} for each message, labelled by its index. */
export function assertValidMessages(messages: readonly unknown[]): void {
  for (const [index, message] of messages.entries()) assertValidAirbyteMessage(message, `message ${index}`);
}

/** Throws {@link ProtocolViolationError} unless `catalog` is a valid ConfiguredAirbyteCatalog. */
export function assertValidConfiguredCatalog(catalog: unknown): void {
  const { configuredCatalog: validate } = protocolValidators();
  if (!validate(catalog)) {
    throw new ProtocolViolationError('not a valid ConfiguredAirbyteCatalog', problemsOf(validate));
  }
}
