import type { Field } from 'apache-arrow';

/** Arrow's canonical JSON extension type: a Utf8 column whose values are JSON documents. */
export const JSON_EXTENSION_NAME = 'arrow.json';
const EXTENSION_NAME_KEY = 'ARROW:extension:name';
const EXTENSION_METADATA_KEY = 'ARROW:extension:metadata';

/** Field metadata marking a Utf8 field as `arrow.json`. */
export function jsonExtensionMetadata(): Map<string, string> {
  return new Map([
    [EXTENSION_NAME_KEY, JSON_EXTENSION_NAME],
    [EXTENSION_METADATA_KEY, ''],
  ]);
}

/** True when the field carries the `arrow.json` extension marker. */
export function isJsonExtensionField(field: Field): boolean {
  return field.metadata.get(EXTENSION_NAME_KEY) === JSON_EXTENSION_NAME;
}
