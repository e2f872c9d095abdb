import { StreamCdkError } from './stream-cdk-error';

/** A stream produced a slice the CDK cannot use (null where forbidden, reserved keys, wrong shape). */
export class SliceError extends StreamCdkError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('CDK_SLICE_INVALID', message, options);
  }
}
