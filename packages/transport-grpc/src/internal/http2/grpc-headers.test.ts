import { Metadata } from 'nice-grpc-common';
import {
  decodeStatusMessage,
  encodeStatusMessage,
  formatGrpcTimeout,
  headersToMetadata,
  metadataToHeaders,
  parseGrpcTimeout,
} from './grpc-headers.js';

describe('grpc-message encoding', () => {
  it('percent-encodes bytes outside printable ASCII and the percent sign', () => {
    expect(encodeStatusMessage('a b%c\n')).toBe('a b%25c%0A');
    expect(encodeStatusMessage('é')).toBe('%C3%A9');
  });

  it('round-trips any text', () => {
    for (const text of ['', 'plain', '[TRANSPORT_PROTOCOL] bad piece', 'zażółć 😀 %41 \r\n\t']) {
      expect(decodeStatusMessage(encodeStatusMessage(text))).toBe(text);
    }
  });

  it('reads raw UTF-8 as node:http2 delivers it (latin1) and keeps text beyond the BMP (found by fuzzing)', () => {
    expect(decodeStatusMessage(Buffer.from('caf\u00e9 \u{1f600} 100%', 'utf8').toString('latin1'))).toBe(
      'caf\u00e9 \u{1f600} 100%',
    );
    expect(decodeStatusMessage('\u{10000}')).toBe('\u{10000}');
  });

  it('keeps a malformed escape as it stands', () => {
    expect(decodeStatusMessage('50%zz and %4')).toBe('50%zz and %4');
  });
});

describe('grpc-timeout', () => {
  it('parses every unit into milliseconds', () => {
    expect(parseGrpcTimeout('2H')).toBe(7_200_000);
    expect(parseGrpcTimeout('3M')).toBe(180_000);
    expect(parseGrpcTimeout('4S')).toBe(4_000);
    expect(parseGrpcTimeout('5m')).toBe(5);
    expect(parseGrpcTimeout('6000u')).toBe(6);
    expect(parseGrpcTimeout('7000000n')).toBe(7);
  });

  it('refuses malformed values', () => {
    for (const value of ['', 'S', '10', '123456789S', '1.5S', '-1S', '10x']) {
      expect(parseGrpcTimeout(value)).toBeUndefined();
    }
    expect(parseGrpcTimeout(undefined)).toBeUndefined();
  });

  it('formats within eight digits, rounding up', () => {
    expect(formatGrpcTimeout(1.2)).toBe('2m');
    expect(formatGrpcTimeout(0)).toBe('0m');
    expect(formatGrpcTimeout(-5)).toBe('0m');
    expect(formatGrpcTimeout(250_000_000)).toBe('250000S');
    for (const timeoutMs of [1, 99_999_999, 100_000_000, 1e12, 1e15]) {
      const formatted = formatGrpcTimeout(timeoutMs);
      expect(formatted).toMatch(/^\d{1,8}[HSm]$/);
      expect(parseGrpcTimeout(formatted)).toBeGreaterThanOrEqual(Math.min(timeoutMs, 99_999_999 * 3_600_000));
    }
  });
});

describe('metadata headers', () => {
  it('carries custom text and binary metadata and drops reserved keys', () => {
    const metadata = Metadata();
    metadata.set('authorization', 'Bearer abc');
    metadata.set('x-list', ['one', 'two, three']);
    metadata.set('x-blob-bin', Uint8Array.of(0, 1, 254, 255));
    metadata.set('content-type', 'text/plain');
    metadata.set('grpc-timeout', '1S');
    const headers = metadataToHeaders(metadata);
    expect(headers['content-type']).toBeUndefined();
    expect(headers['grpc-timeout']).toBeUndefined();
    const back = headersToMetadata({
      ...(headers as Record<string, string | string[]>),
      ':path': '/x',
      te: 'trailers',
    });
    expect(back.get('authorization')).toBe('Bearer abc');
    // Metadata joins repeated text values as HTTP does; the joined value survives the trip.
    expect(back.get('x-list')).toBe(metadata.get('x-list'));
    expect([...(back.get('x-blob-bin') as Uint8Array)]).toEqual([0, 1, 254, 255]);
    expect(back.has(':path')).toBe(false);
    expect(back.has('te')).toBe(false);
  });

  it('adds to given headers and accepts no metadata', () => {
    expect(metadataToHeaders(undefined, { a: 'b' })).toEqual({ a: 'b' });
  });
});

describe('headersToMetadata with headers gRPC metadata cannot hold', () => {
  it('drops a name outside 0-9 a-z _ - . and a value outside printable ASCII, keeps the rest (found by fuzzing)', () => {
    const metadata = headersToMetadata({
      'x-bang!': '1',
      'x-tilde~': '2',
      'x-latin': 'caf\u00e9',
      'x-tab': 'a\tb',
      'x-kept': ['yes', 'NUL-free'],
      'x-raw-bin': 'AAE=',
    });
    expect([...metadata].map(([key]) => key)).toEqual(['x-kept', 'x-raw-bin']);
    expect(metadata.get('x-kept')).toBe('yes, NUL-free');
    expect([...(metadata.get('x-raw-bin') as Uint8Array)]).toEqual([0, 1]);
  });
});
