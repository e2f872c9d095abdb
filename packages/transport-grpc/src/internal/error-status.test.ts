import { ClientError, Metadata, Status } from 'nice-grpc-common';
import { TransportError } from '../errors/transport-error.js';
import { fromClientError, toServerError } from './error-status.js';

describe('typed errors across the wire', () => {
  it('round-trips code, anchor, connection and (in debug) the stack through status and trailers', () => {
    const original = new TransportError('TRANSPORT_LIMIT_EXCEEDED', "anchor 'In' connection '#1': too big", {
      anchorName: 'In',
      connectionName: '#1',
      remoteStack: 'Error: too big\n    at somewhere',
    });
    const trailer = Metadata();
    const serverError = toServerError(original, trailer, true);
    expect(serverError.code).toBe(Status.RESOURCE_EXHAUSTED);
    const received = fromClientError(
      new ClientError('/sdk.SdkToolV2/RecordTransfer', serverError.code, serverError.details),
      trailer,
      'RecordTransfer',
    );
    expect(received.code).toBe('TRANSPORT_LIMIT_EXCEEDED');
    expect(received.message).toBe(original.message);
    expect(received.anchorName).toBe('In');
    expect(received.connectionName).toBe('#1');
    expect(received.remoteStack).toContain('at somewhere');
  });

  it('reads malformed percent-encoding in our trailers as it came, and sends a lone surrogate (a URIError before)', () => {
    const trailer = Metadata();
    trailer.set('x-sdk-error-code', 'TRANSPORT_UNKNOWN_ANCHOR');
    trailer.set('x-sdk-error-anchor', 'In%E0%A4%A');
    const received = fromClientError(
      new ClientError('/sdk.SdkToolV2/Control', Status.INVALID_ARGUMENT, 'x'),
      trailer,
      'Control',
    );
    expect(received.code).toBe('TRANSPORT_UNKNOWN_ANCHOR');
    expect(received.anchorName).toBe('In%E0%A4%A');

    const sent = Metadata();
    toServerError(
      new TransportError('TRANSPORT_PLUGIN_FAILED', 'x', { anchorName: 'a\ud800b' }),
      sent,
      false,
    );
    const back = fromClientError(
      new ClientError('/sdk.SdkToolV2/Control', Status.INTERNAL, 'x'),
      sent,
      'Control',
    );
    expect(back.anchorName).toBe('a\ufffdb');
  });

  it('leaves the stack out unless debug is on', () => {
    const trailer = Metadata();
    toServerError(
      new TransportError('TRANSPORT_PLUGIN_FAILED', 'x', { remoteStack: 'secret' }),
      trailer,
      false,
    );
    expect(
      fromClientError(new ClientError('/p', Status.INTERNAL, '[TRANSPORT_PLUGIN_FAILED] x'), trailer, 'p')
        .remoteStack,
    ).toBeUndefined();
  });

  it('maps a foreign status without our trailers by its status code', () => {
    const unauthenticated = fromClientError(
      new ClientError('/p', Status.UNAUTHENTICATED, 'no'),
      undefined,
      'Control',
    );
    expect(unauthenticated.code).toBe('TRANSPORT_UNAUTHENTICATED');
    const unavailable = fromClientError(
      new ClientError('/p', Status.UNAVAILABLE, 'down'),
      undefined,
      'Control',
    );
    expect(unavailable.code).toBe('TRANSPORT_CONNECTION');
    expect(unavailable.message).toContain('UNAVAILABLE: down');
  });

  it('isInstance recognises copies by marker, not by class identity', () => {
    const error = new TransportError('TRANSPORT_CLOSED', 'closed');
    expect(TransportError.isInstance(error)).toBe(true);
    expect(TransportError.isInstance(new Error('[TRANSPORT_CLOSED] closed'))).toBe(false);
    expect(error.message).toBe('[TRANSPORT_CLOSED] closed');
    expect(error.name).toBe('TransportError');
  });
});
