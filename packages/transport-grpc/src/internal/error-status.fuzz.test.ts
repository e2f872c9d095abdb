import fc from 'fast-check';
import { ClientError, Metadata, type Status } from 'nice-grpc-common';
import { fuzzParameters } from '../__fixtures__/fuzz-parameters.js';
import { isTransportErrorCode, TransportError, type TransportErrorCode } from '../errors/transport-error.js';
import { fromClientError, toServerError } from './error-status.js';

// Fuzzer of the custom trailers a failed call carries (x-sdk-error-code, -anchor, -connection, -stack)
// and of the status details prefix, as the engine reads them from a plugin. Invariant: a TransportError
// with a known code, whatever the trailers hold; what our own server sends comes back intact (lone
// surrogates as U+FFFD). FUZZ_RUNS / FUZZ_SEED as in every fuzz test.

const anyCodePoint = fc.integer({ min: 0, max: 0x10ffff }).map((code) => String.fromCodePoint(code));
const anyText = fc.string({ unit: anyCodePoint, maxLength: 12 });
/** Printable ASCII rich in `%` escapes, well formed or not: what a trailer value can hold. */
const trailerText = fc.string({
  unit: fc.constantFrom('%', 'E', '0', 'A', '4', 'F', 'z', ' ', '[', ']', '_', 'T'),
  maxLength: 12,
});
const codes: TransportErrorCode[] = [
  'TRANSPORT_PROTOCOL',
  'TRANSPORT_UNKNOWN_ANCHOR',
  'TRANSPORT_LIMIT_EXCEEDED',
  'TRANSPORT_PLUGIN_FAILED',
];

const wellFormed = (text: string) => Buffer.from(text, 'utf8').toString('utf8');

describe('fuzz: error trailers and status details (fromClientError)', () => {
  it('rebuilds a typed error from any trailers and details', () => {
    fc.assert(
      fc.property(
        fc.record(
          {
            code: fc.oneof(fc.constantFrom(...codes), trailerText),
            anchor: trailerText,
            connection: trailerText,
            stack: trailerText,
          },
          { requiredKeys: [] },
        ),
        fc.oneof(
          anyText,
          fc.constantFrom(...codes).map((code) => `[${code}] detail`),
          fc.constant('[NOT_A_CODE] x'),
        ),
        fc.integer({ min: 0, max: 16 }),
        (trailers, details, status) => {
          const trailer = Metadata();
          if (trailers.code !== undefined) trailer.set('x-sdk-error-code', trailers.code);
          if (trailers.anchor !== undefined) trailer.set('x-sdk-error-anchor', trailers.anchor);
          if (trailers.connection !== undefined) trailer.set('x-sdk-error-connection', trailers.connection);
          if (trailers.stack !== undefined) trailer.set('x-sdk-error-stack', trailers.stack);
          const error = fromClientError(
            new ClientError('/sdk.SdkToolV2/Control', status as Status, details),
            trailer,
            'Control',
          );
          expect(TransportError.isInstance(error)).toBe(true);
          expect(isTransportErrorCode(error.code)).toBe(true);
        },
      ),
      fuzzParameters(500),
    );
  });

  it('brings back what our server sends: code, message, anchor, connection and stack', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...codes),
        anyText,
        anyText,
        anyText,
        anyText,
        (code, message, anchorName, connectionName, remoteStack) => {
          const trailer = Metadata();
          const sent = toServerError(
            new TransportError(code, message, { anchorName, connectionName, remoteStack }),
            trailer,
            true,
          );
          const back = fromClientError(
            new ClientError('/sdk.SdkToolV2/Control', sent.code, sent.details),
            trailer,
            'Control',
          );
          expect(back.code).toBe(code);
          expect(back.anchorName).toBe(wellFormed(anchorName));
          expect(back.connectionName).toBe(wellFormed(connectionName));
          expect(back.remoteStack).toBe(wellFormed(remoteStack));
        },
      ),
      fuzzParameters(500),
    );
  });
});
