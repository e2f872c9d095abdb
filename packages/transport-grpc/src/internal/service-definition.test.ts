import { sdk } from '../gen/sdk.js';
import { incomingRecordsMessage, outgoingRecordsMessage, sdkToolV2Definition } from './service-definition.js';

describe('sdkToolV2Definition', () => {
  it('serves the AMP paths', () => {
    const { fullName, methods } = sdkToolV2Definition;
    expect([`/${fullName}/${methods.control.name}`, `/${fullName}/${methods.recordTransfer.name}`]).toEqual([
      '/sdk.SdkToolV2/Control',
      '/sdk.SdkToolV2/RecordTransfer',
    ]);
  });

  it('encodes records for grpc-js as one copied message, and reports it written once copied', () => {
    const data = new Uint8Array([1, 2, 3, 4]);
    const written = jest.fn();
    const message = incomingRecordsMessage(
      { anchorName: 'A', connectionName: 'c', data, endOfChunk: true },
      written,
    );
    const wire = sdkToolV2Definition.methods.recordTransfer.requestType.encode(message).finish();
    expect(written).toHaveBeenCalledTimes(1);
    data.fill(9);
    const decoded = sdk.RecordTransferIn.decode(wire);
    expect([...(decoded.incomingRecords?.data ?? [])]).toEqual([1, 2, 3, 4]);
    expect(decoded.incomingRecords?.anchorName).toBe('A');
    expect(decoded.incomingRecords?.endOfChunk).toBe(true);
  });

  it('encodes records for the http2 carrier as parts around the uncopied data, handing on onWritten', () => {
    const data = new Uint8Array(100_000).fill(3);
    const written = jest.fn();
    const message = outgoingRecordsMessage({ anchorName: 'Out', data, endOfChunk: true }, written);
    const { responseType } = sdkToolV2Definition.methods.recordTransfer;
    const encoded = responseType.encodeParts(message);
    expect(encoded.parts).toContain(data);
    expect(written).not.toHaveBeenCalled();
    encoded.onWritten?.();
    expect(written).toHaveBeenCalledTimes(1);
    const joined = Buffer.concat(encoded.parts.map((part) => Buffer.from(part)));
    expect(
      joined.equals(
        Buffer.from(
          responseType.encode(outgoingRecordsMessage({ anchorName: 'Out', data, endOfChunk: true })).finish(),
        ),
      ),
    ).toBe(true);
  });

  it('encodes other messages for the http2 carrier as one part', () => {
    const { requestType } = sdkToolV2Definition.methods.control;
    const encoded = requestType.encodeParts({ notifyComplete: {}, msgId: 'm' });
    expect(encoded.parts).toHaveLength(1);
    expect(requestType.decode(encoded.parts[0] as Uint8Array).msgId).toBe('m');
  });

  it('round-trips outgoing records and other messages through its codecs', () => {
    const { responseType } = sdkToolV2Definition.methods.recordTransfer;
    const records = outgoingRecordsMessage({
      anchorName: 'Out',
      data: new Uint8Array([7]),
      endOfChunk: false,
    });
    expect(responseType.decode(responseType.encode(records).finish()).outgoingRecords?.anchorName).toBe(
      'Out',
    );
    const close = responseType.decode(responseType.encode({ closeOutgoingAnchor: { name: 'Out' } }).finish());
    expect(close.closeOutgoingAnchor?.name).toBe('Out');
    const { requestType } = sdkToolV2Definition.methods.control;
    const notify = requestType.decode(requestType.encode({ notifyComplete: {}, msgId: 'm' }).finish());
    expect(notify.msgId).toBe('m');
    expect(notify.notifyComplete).toBeDefined();
  });
});
