import { FlowKeyError } from '../errors/flow-key-error';
import type { ConnectorLogger } from '../io/connector-logger';
import type { DiscoveredBinding } from '../protocol/capture-response';
import { type InvalidKeyPolicy, withRequiredCollectionKey } from '../protocol/collection-key';
import { ROW_ID_POINTER } from './airbyte-mapping';

/**
 * Every discovered binding of a shim through {@link withRequiredCollectionKey}. A binding whose key
 * cannot be used is refused (`'fail'`: every such stream is logged, the first one thrown), or with
 * `'row-id'` keyed by the shim's row counter `/_meta/row_id` instead (logged as a warning; the
 * shims' schemas always declare it).
 */
export function keyDiscoveredBindings(
  bindings: readonly DiscoveredBinding[],
  policy: InvalidKeyPolicy,
  logger: ConnectorLogger,
  connector: string,
): DiscoveredBinding[] {
  const refused: FlowKeyError[] = [];
  const keyed: DiscoveredBinding[] = [];
  for (const binding of bindings) {
    try {
      keyed.push(withRequiredCollectionKey(binding));
    } catch (error) {
      if (!FlowKeyError.isInstance(error)) throw error;
      const isRowIdKey = binding.key.length === 1 && binding.key[0] === ROW_ID_POINTER;
      if (policy === 'row-id' && !isRowIdKey) {
        logger.warn("the stream's key cannot be a Flow key; keying it by row id instead", {
          connector,
          stream: error.stream,
          pointer: error.pointer,
          keyType: error.keyType,
          key: ROW_ID_POINTER,
        });
        keyed.push(withRequiredCollectionKey({ ...binding, key: [ROW_ID_POINTER] }));
      } else {
        refused.push(error);
      }
    }
  }
  const first = refused[0];
  if (first === undefined) return keyed;
  if (refused.length > 1) {
    for (const error of refused)
      logger.error(error.message, { connector, code: error.code, stream: error.stream });
  }
  throw first;
}
