import { FlowShimError, type FlowShimErrorOptions } from './flow-shim-error';

/**
 * The connector state handed over in `open.state` (or produced by a wrapped connector) does not
 * have the layout this shim reads. Never ignored silently: a re-backfill must be an explicit choice.
 */
export class FlowStateError extends FlowShimError {
  /** Where in the state the problem is, e.g. `bindingStateV1/users`. */
  readonly location: string;

  constructor(location: string, message: string, options: FlowShimErrorOptions = {}) {
    super('FLOW_STATE', `${location}: ${message}`, options);
    this.location = location;
  }
}
