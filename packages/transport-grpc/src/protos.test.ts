import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import protobuf from 'protobufjs';
import { sdk } from './gen/sdk.js';

const protoRoot = join(__dirname, '..', '..', '..', 'protos');

function loadProtos(): protobuf.Root {
  const root = new protobuf.Root();
  // google/protobuf/* come bundled with protobufjs; ours resolve under protos/ like protoc's -I.
  root.resolvePath = (_origin, target) => (target.startsWith('google/') ? target : join(protoRoot, target));
  const files = readdirSync(join(protoRoot, 'sdk'))
    .filter((name) => name.endsWith('.proto'))
    .map((name) => `sdk/${name}`);
  root.loadSync(files, { keepCase: true });
  root.resolveAll();
  return root;
}

/**
 * The reference's tables (part 2, sections 1.1 to 1.3): `field = number type [repeated|map|oneof]`.
 * Written out by hand from the reference so that an edit of a .proto file that changes the wire
 * format fails here.
 */
const expectedMessages: Record<string, string[]> = {
  ControlIn: [
    'plugin_initialization_data=1 PluginInitializationData oneof:payload',
    'translated_message=2 TranslatedMessage oneof:payload',
    'decrypted_password=3 PasswordData oneof:payload',
    'notify_complete=4 NotifyComplete oneof:payload',
    'dcm_e_response=5 DcmEResponse oneof:payload',
    'incoming_connection_complete=6 IncomingConnectionComplete oneof:payload',
    'msg_id=7 string',
  ],
  ControlOut: [
    'outgoing_metadata=1 OutgoingMetadataPush oneof:payload',
    'output_message=2 OutputMessageData oneof:payload',
    'translate_message=3 TranslateMessageData oneof:payload',
    'decrypt_password=4 PasswordData oneof:payload',
    'confirm_complete=5 ConfirmComplete oneof:payload',
    'dcm_e_request=6 DcmERequest oneof:payload',
    // Section 1.4 (AMP SDK 2.4.2): the reference's probable number, the one after msg_id.
    'update_progress=8 UpdateProgress oneof:payload',
    'msg_id=7 string',
  ],
  RecordTransferIn: [
    'incoming_records=1 IncomingRecords oneof:payload',
    'record_request=2 RecordRequest oneof:payload',
    'incoming_connection_complete=3 IncomingConnectionComplete oneof:payload',
  ],
  'RecordTransferIn.IncomingRecords': [
    'anchor_name=1 string',
    'connection_name=2 string',
    'data=3 bytes',
    'end_of_chunk=4 bool',
  ],
  'RecordTransferIn.RecordRequest': ['anchor_name=1 string'],
  WantRecords: ['anchor_name=1 string'],
  OutgoingRecords: [
    'anchor_name=1 string',
    'connection_name=2 string',
    'data=3 bytes',
    'end_of_chunk=4 bool',
  ],
  RecordTransferOut: [
    'want_records=1 WantRecords oneof:payload',
    'outgoing_records=2 OutgoingRecords oneof:payload',
    'close_outgoing_anchor=3 CloseOutgoingAnchor oneof:payload',
  ],
  PluginInitializationData: [
    'configXml=1 string',
    'incomingAnchors=2 IncomingAnchor repeated',
    'outgoingAnchors=3 OutgoingAnchor repeated',
    'engineConstants=4 string map<string>',
    'updateMode=5 UpdateMode',
  ],
  IncomingAnchor: ['name=1 string', 'connections=2 IncomingConnection repeated', 'sequencing=3 int32'],
  IncomingConnection: ['name=1 string', 'metadata=2 Metadata'],
  OutgoingAnchor: [
    'name=1 string',
    'num_connections=2 int32',
    'metadata=3 Metadata',
    'record_limit=4 int64',
    'options=5 OutgoingAnchorOptions',
  ],
  Metadata: ['fields=1 Field repeated'],
  Field: [
    'name=1 string',
    'type=2 FieldType',
    'size=3 uint32',
    'scale=4 int32',
    'source=5 string',
    'description=6 string',
  ],
  IncomingConnectionComplete: [
    'anchor_name=1 string oneof:_anchor_name',
    'connection_name=2 string oneof:_connection_name',
  ],
  CloseOutgoingAnchor: ['name=1 string'],
  OutgoingMetadataPush: ['output_anchor_name=1 string', 'metadata=2 Metadata', 'schema=3 bytes'],
  // priority: section 1.4 (AMP SDK 2.4.0), the reference's probable number 3.
  OutputMessageData: [
    'message_type=1 OutputMessageTypes',
    'message=2 string',
    'priority=3 OutputMessagePriorityFlags',
  ],
  UpdateProgress: ['value=1 float'],
  TranslateMessageData: ['unlocalized_string=1 string', 'interpolation_data=2 string repeated'],
  TranslatedMessage: ['translated_message=1 string'],
  PasswordData: ['password=1 string'],
  DcmERequest: ['v2=1 V2 oneof:Request'],
  'DcmERequest.V2': [
    'get_connection=1 GetConnection oneof:Request',
    'lock_secret=2 LockSecret oneof:Request',
    'unlock_secret=3 UnlockSecret oneof:Request',
    'update_secret=4 UpdateSecret oneof:Request',
  ],
  'DcmERequest.GetConnection': ['connection_id=1 string'],
  'DcmERequest.LockSecret': [
    'connection_id=1 string',
    'credential_role=2 string',
    'secret_type=3 string',
    'expires_in=4 string',
  ],
  'DcmERequest.UnlockSecret': [
    'connection_id=1 string',
    'credential_role=2 string',
    'secret_type=3 string',
    'lock_id=4 string',
  ],
  'DcmERequest.UpdateSecret': [
    'connection_id=1 string',
    'credential_role=2 string',
    'secret_type=3 string',
    'lock_id=4 string',
    'expires_on=5 string',
    'value=6 string',
    'parameters=7 google.protobuf.Struct',
  ],
  DcmEResponse: ['success=1 bool', 'response=2 google.protobuf.Struct'],
};

const expectedEnums: Record<string, Record<string, number>> = {
  UpdateMode: { UM_Run: 0, UM_Full: 1, UM_Quick: 2 },
  'OutgoingAnchor.OutgoingAnchorOptions': {
    ORDERED: 0,
    PRESERVES: 1,
    ORDERED_OR_PRESERVES: 2,
    RECORD_LIMITED: 4,
    SCRAMBLED: 5,
  },
  OutputMessageTypes: {
    OMT_None: 0,
    OMT_Info: 1,
    OMT_Warning: 2,
    OMT_Error: 3,
    OMT_FileInput: 8,
    OMT_FileOutput: 9,
    OMT_UpdateOutputConfigXml: 11,
  },
  OutputMessagePriorityFlags: { OMPF_None: 0 },
  FieldType: {
    FT_UNKNOWN: 0,
    FT_FIRST_VALUE: 0,
    FT_BOOL: 1,
    FT_BYTE: 2,
    FT_INT16: 3,
    FT_INT32: 4,
    FT_INT64: 5,
    FT_FIXED_DECIMAL: 6,
    FT_FLOAT: 7,
    FT_DOUBLE: 8,
    FT_STRING: 9,
    FT_WSTRING: 10,
    FT_V_STRING: 11,
    FT_V_WSTRING: 12,
    FT_DATE: 13,
    FT_TIME: 14,
    FT_DATETIME: 15,
    FT_BLOB: 16,
    FT_SPATIALOBJ: 17,
    FT_LAST_VALUE: 17,
  },
};

function describeField(field: protobuf.Field): string {
  const parts = [`${field.name}=${field.id} ${field.type}`];
  if (field.repeated) parts.push('repeated');
  if (field instanceof protobuf.MapField) parts.push(`map<${field.keyType}>`);
  if (field.partOf) parts.push(`oneof:${field.partOf.name}`);
  return parts.join(' ');
}

describe('protos/sdk', () => {
  const root = loadProtos();

  it.each(Object.entries(expectedMessages))('pins every field of %s to the reference', (name, fields) => {
    const type = root.lookupType(`sdk.${name}`);
    expect(type.fieldsArray.map(describeField)).toEqual(fields);
  });

  it.each(Object.entries(expectedEnums))('pins every value of enum %s', (name, values) => {
    expect(root.lookupEnum(`sdk.${name}`).values).toEqual(values);
  });

  it('declares the SdkToolV2 service with two bidirectional methods', () => {
    const service = root.lookupService('sdk.SdkToolV2');
    expect(
      service.methodsArray.map(
        (method) =>
          `${method.name}(${method.requestStream ? 'stream ' : ''}${method.requestType}) returns (${
            method.responseStream ? 'stream ' : ''
          }${method.responseType})`,
      ),
    ).toEqual([
      'Control(stream ControlIn) returns (stream ControlOut)',
      'RecordTransfer(stream RecordTransferIn) returns (stream RecordTransferOut)',
    ]);
  });

  it('generated codec writes the same tags: IncomingRecords fields 1..4 under RecordTransferIn field 1', () => {
    const bytes = sdk.RecordTransferIn.encode({
      incomingRecords: { anchorName: 'A', connectionName: 'C', data: new Uint8Array([9]), endOfChunk: true },
    }).finish();
    // field 1, wire type 2 (length-delimited), then the nested fields 1..4.
    expect([...bytes]).toEqual([0x0a, 11, 0x0a, 1, 65, 0x12, 1, 67, 0x1a, 1, 9, 0x20, 1]);
  });

  it('generated codec tolerates fields added by later engines', () => {
    const known = sdk.ControlOut.encode({ outputMessage: { messageType: 1, message: 'x' } }).finish();
    // An unknown length-delimited field 9, as a field added after update_progress would be.
    const withUnknown = new Uint8Array([...known, 0x4a, 2, 0x0d, 0]);
    const decoded = sdk.ControlOut.decode(withUnknown);
    expect(decoded.outputMessage?.message).toBe('x');
  });

  it('writes update_progress as ControlOut field 8 holding a float value field 1', () => {
    const bytes = sdk.ControlOut.encode({ updateProgress: { value: 0.5 } }).finish();
    // field 8 wire type 2, 5 bytes: field 1 wire type 5 (32-bit), 0.5f little-endian.
    expect([...bytes]).toEqual([0x42, 5, 0x0d, 0x00, 0x00, 0x00, 0x3f]);
  });

  it('writes OutputMessageData.priority as field 3 and leaves it off at OMPF_None', () => {
    const withPriority = sdk.OutputMessageData.encode({
      messageType: 1,
      message: 'x',
      priority: 2 as sdk.OutputMessagePriorityFlags,
    }).finish();
    expect([...withPriority]).toEqual([0x08, 1, 0x12, 1, 120, 0x18, 2]);
    const plain = sdk.OutputMessageData.encode({ messageType: 1, message: 'x', priority: 0 }).finish();
    expect([...plain]).toEqual([0x08, 1, 0x12, 1, 120]);
  });
});
