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

  it('encodes a queued records piece as it was when queued, even if its source changes later', () => {
    const data = new Uint8Array([1, 2, 3, 4]);
    const message = incomingRecordsMessage({ anchorName: 'A', connectionName: 'c', data, endOfChunk: true });
    data.fill(9);
    const wire = sdkToolV2Definition.methods.recordTransfer.requestType.encode(message).finish();
    const decoded = sdk.RecordTransferIn.decode(wire);
    expect([...(decoded.incomingRecords?.data ?? [])]).toEqual([1, 2, 3, 4]);
    expect(decoded.incomingRecords?.anchorName).toBe('A');
    expect(decoded.incomingRecords?.endOfChunk).toBe(true);
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
