import type {
  DcmFreeWriteLockParams,
  DcmGetWriteLockParams,
  DcmRequest,
  DcmSecretTarget,
  DcmUpdateSecretParams,
} from '../dcm-request.js';
import { TransportError } from '../errors/transport-error.js';
import type { sdk } from '../gen/sdk.js';
import { objectToStruct, structToObject } from './struct-value.js';

type DcmRequestMessage = sdk.DcmERequest.$Properties;

function requireString(value: unknown, name: string): string {
  if (typeof value !== 'string') {
    throw new TransportError('TRANSPORT_CONFIG', `${name} must be a string, got ${typeof value}`);
  }
  return value;
}

/** A Date as ISO 8601 (the AMP SDK sends `datetime.isoformat()`), a string as is, absent as `""`. */
function timeField(value: Date | string | undefined, name: string): string {
  if (value === undefined) return '';
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime()))
      throw new TransportError('TRANSPORT_CONFIG', `${name} is an invalid Date`);
    return value.toISOString();
  }
  return requireString(value, name);
}

function secretTarget(params: DcmSecretTarget, operation: string) {
  if (typeof params !== 'object' || params === null) {
    throw new TransportError('TRANSPORT_CONFIG', `${operation} needs a parameters object`);
  }
  return {
    connectionId: requireString(params.connectionId, `${operation} connectionId`),
    credentialRole: requireString(params.credentialRole, `${operation} credentialRole`),
    secretType: requireString(params.secretType, `${operation} secretType`),
  };
}

/** `DcmERequest.V2.get_connection`. */
export function getConnectionRequest(connectionId: string): DcmRequestMessage {
  return {
    v2: { getConnection: { connectionId: requireString(connectionId, 'getConnection connectionId') } },
  };
}

/** `DcmERequest.V2.lock_secret`. */
export function lockSecretRequest(params: DcmGetWriteLockParams): DcmRequestMessage {
  return {
    v2: {
      lockSecret: {
        ...secretTarget(params, 'getWriteLock'),
        expiresIn: timeField(params.expiresIn, 'getWriteLock expiresIn'),
      },
    },
  };
}

/** `DcmERequest.V2.unlock_secret`. */
export function unlockSecretRequest(params: DcmFreeWriteLockParams): DcmRequestMessage {
  return {
    v2: {
      unlockSecret: {
        ...secretTarget(params, 'freeWriteLock'),
        lockId: requireString(params.lockId, 'freeWriteLock lockId'),
      },
    },
  };
}

/**
 * `DcmERequest.V2.update_secret`. Unlike the AMP SDK (which drops `expires_on` when no parameters are
 * given), every field given is sent.
 */
export function updateSecretRequest(params: DcmUpdateSecretParams): DcmRequestMessage {
  return {
    v2: {
      updateSecret: {
        ...secretTarget(params, 'updateConnectionSecret'),
        lockId: requireString(params.lockId, 'updateConnectionSecret lockId'),
        value: requireString(params.value, 'updateConnectionSecret value'),
        expiresOn: timeField(params.expiresOn, 'updateConnectionSecret expiresOn'),
        parameters:
          params.parameters === undefined
            ? undefined
            : objectToStruct(params.parameters, 'updateConnectionSecret parameters'),
      },
    },
  };
}

/** The operation's name for messages: the oneof member that is set, or undefined for none we know. */
export function dcmOperationName(message: DcmRequestMessage | null | undefined): string | undefined {
  const v2 = message?.v2;
  if (v2 === undefined || v2 === null) return undefined;
  if (v2.getConnection) return 'getConnection';
  if (v2.lockSecret) return 'lockSecret';
  if (v2.unlockSecret) return 'unlockSecret';
  if (v2.updateSecret) return 'updateSecret';
  return undefined;
}

/** A received `DcmERequest` as the engine-side {@link DcmRequest}; undefined for a request we do not know. */
export function parseDcmRequest(message: DcmRequestMessage | null | undefined): DcmRequest | undefined {
  const v2 = message?.v2;
  if (v2 === undefined || v2 === null) return undefined;
  const target = (fields: {
    connectionId?: string | null;
    credentialRole?: string | null;
    secretType?: string | null;
  }) => ({
    connectionId: fields.connectionId ?? '',
    credentialRole: fields.credentialRole ?? '',
    secretType: fields.secretType ?? '',
  });
  if (v2.getConnection) return { kind: 'getConnection', connectionId: v2.getConnection.connectionId ?? '' };
  if (v2.lockSecret) {
    return { kind: 'lockSecret', ...target(v2.lockSecret), expiresIn: v2.lockSecret.expiresIn ?? '' };
  }
  if (v2.unlockSecret) {
    return { kind: 'unlockSecret', ...target(v2.unlockSecret), lockId: v2.unlockSecret.lockId ?? '' };
  }
  if (v2.updateSecret) {
    const update = v2.updateSecret;
    return {
      kind: 'updateSecret',
      ...target(update),
      lockId: update.lockId ?? '',
      expiresOn: update.expiresOn ?? '',
      value: update.value ?? '',
      parameters:
        update.parameters === undefined || update.parameters === null
          ? undefined
          : structToObject(update.parameters),
    };
  }
  return undefined;
}
