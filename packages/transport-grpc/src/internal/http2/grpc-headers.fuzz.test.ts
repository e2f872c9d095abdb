import fc from 'fast-check';
import { fuzzParameters } from '../../__fixtures__/fuzz-parameters.js';
import {
  decodeStatusMessage,
  encodeStatusMessage,
  formatGrpcTimeout,
  headersToMetadata,
  parseGrpcTimeout,
} from './grpc-headers.js';
import { parseGrpcStatus } from './http2-client-status.js';

/** Any code point, lone surrogates included (fast-check's 'binary' unit takes seconds to set up). */
const anyCodePoint = fc.integer({ min: 0, max: 0x10ffff }).map((code) => String.fromCodePoint(code));

// Fuzzers of what the http2 carrier reads from a peer's headers and trailers: grpc-status,
// grpc-message, grpc-timeout and custom metadata. None of them may throw (a throw in a stream handler
// takes the process down); each gives the protocol's value or "absent". FUZZ_RUNS / FUZZ_SEED replay.

/** Text as UTF-8 keeps it: lone surrogates become U+FFFD. */
const wellFormed = (text: string) => Buffer.from(text, 'utf8').toString('utf8');

/** Strings biased towards what the parsers look for: digits, units, `%`, hex and separators. */
const headerText = fc.oneof(
  fc.string({ unit: anyCodePoint, maxLength: 24 }),
  fc.string({ unit: fc.constantFrom(...'0123456789HMSmun%aAfFzZ -+.,é\u0000\t'), maxLength: 24 }),
);

const headerName = fc.oneof(
  fc.string({ unit: fc.constantFrom(...'abcxyz09-_.!~#$&*+^`|'), minLength: 1, maxLength: 12 }),
  fc.constantFrom(
    'grpc-status',
    'grpc-message',
    'grpc-timeout',
    'content-type',
    'x-a-bin',
    '__proto__',
    'constructor',
    ':path',
  ),
  fc.string({ unit: fc.constantFrom(...'abc!'), maxLength: 6 }).map((name) => `${name}-bin`),
);

describe('fuzz: grpc-message', () => {
  it('decodes any encoded text back (lone surrogates as U+FFFD), the encoding printable ASCII', () => {
    fc.assert(
      fc.property(fc.string({ unit: anyCodePoint, maxLength: 40 }), (text) => {
        const encoded = encodeStatusMessage(text);
        expect(encoded).toMatch(/^[ -~]*$/);
        expect(decodeStatusMessage(encoded)).toBe(wellFormed(text));
      }),
      fuzzParameters(500),
    );
  });

  it('decodes any received value without throwing, text without a valid escape as it stands', () => {
    fc.assert(
      fc.property(headerText, (value) => {
        const decoded = decodeStatusMessage(value);
        expect(typeof decoded).toBe('string');
        if (/%[0-9a-fA-F]{2}/.test(value)) return;
        // As node:http2 delivers it (one char per byte), or text that did not come off the wire.
        const fromWire = !/[\u0100-\uffff]/.test(value);
        expect(decoded).toBe(fromWire ? Buffer.from(value, 'latin1').toString('utf8') : wellFormed(value));
      }),
      fuzzParameters(500),
    );
  });
});

describe('fuzz: grpc-timeout', () => {
  it('reads any value as a finite non-negative number of milliseconds or as absent', () => {
    fc.assert(
      fc.property(fc.oneof(headerText, fc.constant(undefined)), (value) => {
        const timeout = parseGrpcTimeout(value);
        if (timeout === undefined) return;
        expect(Number.isFinite(timeout)).toBe(true);
        expect(timeout).toBeGreaterThanOrEqual(0);
        expect(value).toMatch(/^\d{1,8}[HMSmun]$/);
      }),
      fuzzParameters(500),
    );
  });

  it('reads back a formatted timeout never earlier than asked', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e15, noNaN: true }), (timeoutMs) => {
        const parsed = parseGrpcTimeout(formatGrpcTimeout(timeoutMs)) as number;
        expect(parsed).toBeGreaterThanOrEqual(Math.min(timeoutMs, 99_999_999 * 3_600_000));
      }),
      fuzzParameters(500),
    );
  });
});

describe('fuzz: grpc-status', () => {
  it('reads any value as a status code from 0 to 16 or as absent', () => {
    fc.assert(
      fc.property(
        fc.oneof(headerText, fc.constant(undefined), fc.array(headerText, { maxLength: 3 })),
        (value) => {
          const code = parseGrpcStatus(value);
          if (code === undefined) return;
          expect(Number.isInteger(code) && code >= 0 && code <= 16).toBe(true);
        },
      ),
      fuzzParameters(500),
    );
  });
});

describe('fuzz: custom metadata from headers and trailers', () => {
  it('reads any headers HTTP/2 delivers into metadata holding only valid keys and values', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(headerName, fc.oneof(headerText, fc.array(headerText, { maxLength: 3 }))), {
          maxLength: 8,
        }),
        (entries) => {
          const headers: Record<string, string | string[]> = {};
          // Own properties, as node:http2 builds its headers object (`__proto__` included).
          for (const [name, value] of entries) {
            Object.defineProperty(headers, name, {
              value,
              enumerable: true,
              configurable: true,
              writable: true,
            });
          }
          const metadata = headersToMetadata(headers);
          for (const [key, values] of metadata) {
            expect(key).toMatch(/^[0-9a-z_.-]+$/);
            expect(['grpc-status', 'grpc-message', 'grpc-timeout', 'content-type']).not.toContain(key);
            for (const value of values) {
              if (key.endsWith('-bin')) expect(value).toBeInstanceOf(Uint8Array);
              else expect(value).toMatch(/^[ -~]*$/);
            }
          }
        },
      ),
      fuzzParameters(500),
    );
  });
});
