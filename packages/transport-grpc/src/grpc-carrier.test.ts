import { expectTransportError } from './__fixtures__/expect-transport-error.js';
import { defaultGrpcCarrier, resolveGrpcCarrier } from './grpc-carrier.js';

describe('resolveGrpcCarrier', () => {
  it('accepts both carriers and defaults to http2', () => {
    expect(resolveGrpcCarrier('http2', 'carrier')).toBe('http2');
    expect(resolveGrpcCarrier('grpc-js', 'carrier')).toBe('grpc-js');
    expect(resolveGrpcCarrier(undefined, 'carrier')).toBe(defaultGrpcCarrier);
    expect(resolveGrpcCarrier('', 'SDK_TRANSPORT_CARRIER')).toBe('http2');
  });

  it('refuses anything else with TRANSPORT_CONFIG naming where it came from', async () => {
    for (const value of ['grpc', 'HTTP2', 2]) {
      await expectTransportError(
        Promise.resolve().then(() => resolveGrpcCarrier(value, 'SDK_TRANSPORT_CARRIER')),
        'TRANSPORT_CONFIG',
      );
    }
  });
});
