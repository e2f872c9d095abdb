import { FlowShimError, type FlowShimErrorOptions } from './flow-shim-error';

/** An option handed to this package is out of range or inconsistent (a programming error). */
export class FlowConfigError extends FlowShimError {
  /** Name of the offending option, e.g. `maxLineBytes`. */
  readonly option: string;

  constructor(option: string, message: string, options: FlowShimErrorOptions = {}) {
    super('FLOW_CONFIG', `${option}: ${message}`, options);
    this.option = option;
  }
}
