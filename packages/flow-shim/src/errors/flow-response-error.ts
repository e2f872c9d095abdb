import { FlowShimError, type FlowShimErrorOptions } from './flow-shim-error';

/**
 * A response broke the protocol contract a real Flow runtime enforces: more or fewer than one
 * top-level key, an unknown field, a wrong type, `protocol` other than 3032023, a checkpoint
 * without state, or a message out of order (e.g. `captured` before `opened`).
 */
export class FlowResponseError extends FlowShimError {
  /** JSON-pointer-like location inside the response, e.g. `/discovered/bindings/0/key`. */
  readonly path: string;

  constructor(path: string, message: string, options: FlowShimErrorOptions = {}) {
    super('FLOW_INVALID_RESPONSE', `${path || '/'}: ${message}`, options);
    this.path = path;
  }
}
