import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { AirbyteMessage } from '../protocol/airbyte-protocol';

const protocolSchema = JSON.parse(
  readFileSync(join(__dirname, 'airbyte-protocol.schema.json'), 'utf8'),
) as object;
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(protocolSchema, 'airbyte-protocol');
const validateMessage = ajv.compile({ $ref: 'airbyte-protocol#/definitions/AirbyteMessage' });
const validateConfiguredCatalog = ajv.compile({
  $ref: 'airbyte-protocol#/definitions/ConfiguredAirbyteCatalog',
});

/** Throws with every schema error unless each message is a valid AirbyteMessage (with its payload present). */
export function assertValidMessages(messages: readonly unknown[]): void {
  messages.forEach((message, index) => {
    if (!validateMessage(message)) {
      throw new Error(
        `message ${index} is not a valid AirbyteMessage: ${ajv.errorsText(validateMessage.errors)}\n${JSON.stringify(message)}`,
      );
    }
    const typed = message as AirbyteMessage;
    const payloadKey = {
      RECORD: 'record',
      STATE: 'state',
      LOG: 'log',
      TRACE: 'trace',
      SPEC: 'spec',
      CONNECTION_STATUS: 'connectionStatus',
      CATALOG: 'catalog',
      CONTROL: 'control',
    }[typed.type];
    if (!(payloadKey in typed))
      throw new Error(`message ${index} of type ${typed.type} lacks "${payloadKey}"`);
  });
}

/** Throws unless `catalog` is a valid ConfiguredAirbyteCatalog. */
export function assertValidConfiguredCatalog(catalog: unknown): void {
  if (!validateConfiguredCatalog(catalog)) {
    throw new Error(
      `not a valid ConfiguredAirbyteCatalog: ${ajv.errorsText(validateConfiguredCatalog.errors)}`,
    );
  }
}
