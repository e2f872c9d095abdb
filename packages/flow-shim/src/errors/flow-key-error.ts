import { FlowShimError, type FlowShimErrorOptions } from './flow-shim-error';

/**
 * Why a collection key was refused: `type` (the keyed location's type cannot be a Flow key),
 * `not-required` (a step of the pointer is not `required`, so the key may be absent),
 * `parent` (a step on the way is not certainly an object: nullable, an array, or another type),
 * `undeclared` (a step of the pointer is not declared in the schema's `properties`),
 * `pointer` (not a JSON pointer, or no key at all).
 */
export type FlowKeyProblem = 'type' | 'not-required' | 'parent' | 'undeclared' | 'pointer';

/**
 * A discovered collection key Flow would refuse at publish time: its location is not provably present
 * in every document the schema accepts, or its type is not a key type (Flow keys are string, integer
 * or boolean, possibly nullable; never number, object or array). Raised at `discover`, so the connector
 * author learns before publishing.
 */
export class FlowKeyError extends FlowShimError {
  /** The binding's stream (its `recommendedName`). */
  readonly stream: string;
  /** The key pointer, e.g. `/id`; empty when the binding has no key. */
  readonly pointer: string;
  /** The keyed location's JSON Schema type(s) as text, e.g. `number`, `object or null`, `unspecified`. */
  readonly keyType: string;
  /** Which rule the key breaks. */
  readonly problem: FlowKeyProblem;

  constructor(
    stream: string,
    pointer: string,
    keyType: string,
    problem: FlowKeyProblem,
    message: string,
    options: FlowShimErrorOptions = {},
  ) {
    super('FLOW_INVALID_KEY', `stream '${stream}', key '${pointer}' (type ${keyType}): ${message}`, options);
    this.stream = stream;
    this.pointer = pointer;
    this.keyType = keyType;
    this.problem = problem;
  }
}
