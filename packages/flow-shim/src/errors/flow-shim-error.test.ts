import { FlowConnectorError } from './flow-connector-error';
import { FlowRequestError } from './flow-request-error';
import { FlowShimError } from './flow-shim-error';

describe('FlowShimError', () => {
  it('prefixes the message with the code and keeps the cause', () => {
    const cause = new Error('root');
    const error = new FlowShimError('FLOW_STATE', 'bad state', { cause });
    expect(error.message).toBe('[FLOW_STATE] bad state');
    expect(error.code).toBe('FLOW_STATE');
    expect(error.cause).toBe(cause);
    expect(error.name).toBe('FlowShimError');
  });

  it('recognises instances from another copy of the package by marker', () => {
    const foreign = Object.assign(new Error('x'), { [Symbol.for('@sdk/flow-shim/FlowShimError')]: true });
    expect(FlowShimError.isInstance(foreign)).toBe(true);
    expect(FlowShimError.isInstance(new Error('plain'))).toBe(false);
    expect(FlowShimError.isInstance(undefined)).toBe(false);
  });

  it('narrows isInstance to the subclass it is called on', () => {
    const error = new FlowConnectorError('FLOW_UNKNOWN_STREAM', 'tap-x', 'users', 'no binding');
    expect(FlowConnectorError.isInstance(error)).toBe(true);
    expect(FlowShimError.isInstance(error)).toBe(true);
    expect(FlowRequestError.isInstance(error)).toBe(false);
    expect(error.message).toBe("[FLOW_UNKNOWN_STREAM] connector 'tap-x', stream 'users': no binding");
  });
});
