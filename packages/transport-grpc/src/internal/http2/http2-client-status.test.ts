import { constants } from 'node:http2';
import { Status } from 'nice-grpc-common';
import {
  isGrpcContentType,
  parseGrpcStatus,
  statusOfHttpStatus,
  statusOfResetCode,
} from './http2-client-status';

describe('statusOfHttpStatus', () => {
  it.each([
    [400, Status.INTERNAL],
    [401, Status.UNAUTHENTICATED],
    [403, Status.PERMISSION_DENIED],
    [404, Status.UNIMPLEMENTED],
    [429, Status.UNAVAILABLE],
    [502, Status.UNAVAILABLE],
    [503, Status.UNAVAILABLE],
    [504, Status.UNAVAILABLE],
    [500, Status.UNKNOWN],
    [302, Status.UNKNOWN],
  ])('maps HTTP %i as the gRPC spec table says', (httpStatus, expected) => {
    expect(statusOfHttpStatus(httpStatus)).toBe(expected);
  });
});

describe('statusOfResetCode', () => {
  it('maps CANCEL to CANCELLED, REFUSED_STREAM to UNAVAILABLE and other codes to INTERNAL', () => {
    expect(statusOfResetCode(constants.NGHTTP2_CANCEL)).toBe(Status.CANCELLED);
    expect(statusOfResetCode(constants.NGHTTP2_REFUSED_STREAM)).toBe(Status.UNAVAILABLE);
    expect(statusOfResetCode(constants.NGHTTP2_INTERNAL_ERROR)).toBe(Status.INTERNAL);
    expect(statusOfResetCode(constants.NGHTTP2_PROTOCOL_ERROR)).toBe(Status.INTERNAL);
  });
});

describe('isGrpcContentType', () => {
  it('accepts application/grpc and its +format variants only', () => {
    expect(isGrpcContentType('application/grpc')).toBe(true);
    expect(isGrpcContentType('application/grpc+proto')).toBe(true);
    expect(isGrpcContentType('Application/GRPC')).toBe(true);
    expect(isGrpcContentType('application/grpc-web')).toBe(false);
    expect(isGrpcContentType('text/html')).toBe(false);
    expect(isGrpcContentType(undefined)).toBe(false);
  });
});

describe('parseGrpcStatus', () => {
  it('reads known codes, maps unknown numbers to UNKNOWN and rejects non-numbers', () => {
    expect(parseGrpcStatus('0')).toBe(Status.OK);
    expect(parseGrpcStatus('14')).toBe(Status.UNAVAILABLE);
    expect(parseGrpcStatus(['5'])).toBe(Status.NOT_FOUND);
    expect(parseGrpcStatus('99')).toBe(Status.UNKNOWN);
    expect(parseGrpcStatus('x')).toBeUndefined();
    expect(parseGrpcStatus(undefined)).toBeUndefined();
  });
});
