import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
ajv.addSchema(JSON.parse(readFileSync(join(__dirname, 'airbyte-protocol.schema.json'), 'utf8')), 'protocol');
const validateAirbyteMessage = ajv.compile({ $ref: 'protocol#/definitions/AirbyteMessage' });

const payloadOf: Record<string, string> = {
  RECORD: 'record',
  STATE: 'state',
  LOG: 'log',
  TRACE: 'trace',
  SPEC: 'spec',
  CONNECTION_STATUS: 'connectionStatus',
  CATALOG: 'catalog',
  CONTROL: 'control',
};

/** Throws, naming the message and every schema error, unless `message` is a valid AirbyteMessage. */
export function assertValidAirbyteMessage(message: unknown, index: number): void {
  if (!validateAirbyteMessage(message)) {
    throw new Error(
      `line ${index} is not an AirbyteMessage: ${ajv.errorsText(validateAirbyteMessage.errors)}\n${JSON.stringify(message)}`,
    );
  }
  // The schema leaves the payload optional; a message of a type must carry that type's payload.
  const type = (message as { type: string }).type;
  const key = payloadOf[type];
  if (key === undefined || !(key in (message as object)))
    throw new Error(`line ${index} (${type}) has no payload`);
}
