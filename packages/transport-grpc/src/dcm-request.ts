/**
 * A JSON-like value, as `google.protobuf.Value` carries it: null, a boolean, a finite number (a double on
 * the wire), a string, a list or an object. DCM responses and `parameters` are made of these.
 */
export type DcmValue = null | boolean | number | string | readonly DcmValue[] | DcmObject;

/** A JSON-like object, as `google.protobuf.Struct` carries it (DCM responses, secret parameters). */
export interface DcmObject {
  readonly [key: string]: DcmValue;
}

/** Per-call options of the requests a plugin sends to the engine (`io.decryptPassword`, DCM calls). */
export interface EngineRequestOptions {
  /** How long to wait for the engine's answer, in ms. Defaults to the server's `requestTimeoutMs` (30,000 ms). */
  timeoutMs?: number;
  /** Gives up waiting when aborted: the call rejects with `TRANSPORT_CANCELLED`. Defaults to none. */
  signal?: AbortSignal;
}

/** Which secret of which DCM connection a lock or update is about (fields of `DcmERequest.V2`). */
export interface DcmSecretTarget {
  /** DCM connection id. */
  readonly connectionId: string;
  /** Credential role, e.g. `"user"`; sent as `credential_role`. */
  readonly credentialRole: string;
  /** Secret type, e.g. `"oauthToken"`; sent as `secret_type`. */
  readonly secretType: string;
}

/** Parameters of `io.getWriteLock` (`DcmERequest.V2.lock_secret`). */
export interface DcmGetWriteLockParams extends DcmSecretTarget {
  /** Lock expiry: a Date is sent as its ISO 8601 string, a string as is. Defaults to unset (the engine's default). */
  readonly expiresIn?: Date | string;
}

/** Parameters of `io.freeWriteLock` (`DcmERequest.V2.unlock_secret`). */
export interface DcmFreeWriteLockParams extends DcmSecretTarget {
  /** The `secretLockId` that `getWriteLock` returned. */
  readonly lockId: string;
}

/** Parameters of `io.updateConnectionSecret` (`DcmERequest.V2.update_secret`). */
export interface DcmUpdateSecretParams extends DcmSecretTarget {
  /** The `secretLockId` that `getWriteLock` returned. */
  readonly lockId: string;
  /** The new secret value. */
  readonly value: string;
  /** Secret expiry: a Date is sent as its ISO 8601 string, a string as is. Defaults to unset. */
  readonly expiresOn?: Date | string;
  /** Extra parameters, sent as a `google.protobuf.Struct`. Defaults to unset. */
  readonly parameters?: DcmObject;
}

/** Parameters of `io.getLockAndUpdateSecret`: an update without a lock id, plus the lock's expiry. */
export interface DcmLockAndUpdateSecretParams extends DcmSecretTarget {
  /** The new secret value. */
  readonly value: string;
  /** Secret expiry: a Date is sent as its ISO 8601 string, a string as is. Defaults to unset. */
  readonly expiresOn?: Date | string;
  /** Extra parameters, sent as a `google.protobuf.Struct`. Defaults to unset. */
  readonly parameters?: DcmObject;
  /** Expiry of the write lock taken for the update. Defaults to unset (the engine's default). */
  readonly lockExpiresIn?: Date | string;
}

/** What `io.getLockAndUpdateSecret` resolves with: the lock id used and the engine's two answers. */
export interface DcmLockAndUpdateSecretResult {
  /** The lock id the engine handed out (`secretLockId` of the lock response). */
  readonly secretLockId: string;
  /** The engine's response to the update. */
  readonly update: DcmObject;
  /** The engine's response to freeing the lock. */
  readonly unlock: DcmObject;
}

/**
 * A DCM request as the engine side sees it (`DcmERequest.V2`, one member of its `Request` oneof). `kind`
 * is the oneof member name; string fields the plugin left unset are `""`.
 */
export type DcmRequest =
  | { readonly kind: 'getConnection'; readonly connectionId: string }
  | (DcmSecretTarget & { readonly kind: 'lockSecret'; readonly expiresIn: string })
  | (DcmSecretTarget & { readonly kind: 'unlockSecret'; readonly lockId: string })
  | (DcmSecretTarget & {
      readonly kind: 'updateSecret';
      readonly lockId: string;
      readonly expiresOn: string;
      readonly value: string;
      /** The `parameters` Struct as a plain object, or undefined when the plugin sent none. */
      readonly parameters: DcmObject | undefined;
    });

/** The engine side's answer to a DCM request (`DcmEResponse`). */
export interface DcmAnswer {
  /** False makes the plugin's call reject with `TRANSPORT_DCM_FAILED`. */
  readonly success: boolean;
  /** The answer's data, sent as a `google.protobuf.Struct`. Defaults to an empty object. */
  readonly response?: DcmObject;
}
