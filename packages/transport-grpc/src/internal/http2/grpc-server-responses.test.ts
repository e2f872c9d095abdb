import { Metadata, Status } from 'nice-grpc-common';
import { decodeStatusMessage } from './grpc-headers.js';
import { isGrpcContentType, responseHeaderBase, statusHeaders } from './grpc-server-responses.js';

describe('isGrpcContentType', () => {
  it.each([
    ['application/grpc', true],
    ['application/grpc+proto', true],
    ['Application/GRPC; charset=utf-8', true],
    ['application/grpc-web', false],
    ['application/json', false],
    ['', false],
    [undefined, false],
  ])('%s -> %s', (value, expected) => {
    expect(isGrpcContentType(value)).toBe(expected);
  });
});

describe('statusHeaders', () => {
  it('carries the code, the percent-encoded details and the custom trailer metadata', () => {
    const trailer = Metadata({ 'x-sdk-error-code': 'PLUGIN_FAILED', 'x-blob-bin': new Uint8Array([1, 2]) });
    const headers = statusHeaders(Status.ABORTED, 'größe 50%', trailer);
    expect(headers['grpc-status']).toBe(String(Status.ABORTED));
    expect(headers['grpc-message']).toMatch(/^[\x20-\x7e]*$/);
    expect(decodeStatusMessage(String(headers['grpc-message']))).toBe('größe 50%');
    expect(headers['x-sdk-error-code']).toEqual(['PLUGIN_FAILED']);
    expect(headers['x-blob-bin']).toEqual([Buffer.from([1, 2]).toString('base64')]);
  });

  it('omits grpc-message for empty details and keeps reserved keys out of the metadata', () => {
    const trailer = Metadata({ 'grpc-status': '13', 'content-type': 'text/plain' });
    const headers = statusHeaders(Status.OK, '', trailer);
    expect(headers).toEqual({ 'grpc-status': '0' });
  });

  it('merges into given headers for a Trailers-Only response', () => {
    const headers = statusHeaders(Status.UNIMPLEMENTED, 'no', undefined, responseHeaderBase());
    expect(headers).toMatchObject({
      ':status': 200,
      'content-type': 'application/grpc',
      'grpc-status': '12',
    });
  });
});
