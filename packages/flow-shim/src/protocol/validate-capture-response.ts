import { FlowResponseError } from '../errors/flow-response-error';
import { FLOW_CAPTURE_PROTOCOL_VERSION } from './capture-response';

// The contract a real runtime enforces on connector output (pbjson deserializers): known fields only,
// scalars of the right type, `null` allowed only where the field is a message (an Option).
type FieldKind =
  | 'string'
  | 'bool'
  | 'u32'
  | 'json'
  | 'strings'
  | { message: Shape; nullable: true }
  | { repeated: Shape }
  | { map: 'json' };

type Shape = { [field: string]: FieldKind };

const oauth2Shape: Shape = {
  provider: 'string',
  authUrlTemplate: 'string',
  accessTokenUrlTemplate: 'string',
  accessTokenMethod: 'string',
  accessTokenBody: 'string',
  accessTokenHeaders: { map: 'json' },
  accessTokenResponseMap: { map: 'json' },
  refreshTokenUrlTemplate: 'string',
  refreshTokenMethod: 'string',
  refreshTokenBody: 'string',
  refreshTokenHeaders: { map: 'json' },
  refreshTokenResponseMap: { map: 'json' },
};

const responseShapes: { [key: string]: Shape } = {
  spec: {
    protocol: 'u32',
    configSchema: 'json',
    resourceConfigSchema: 'json',
    documentationUrl: 'string',
    oauth2: { message: oauth2Shape, nullable: true },
    resourcePathPointers: 'strings',
  },
  discovered: {
    bindings: {
      repeated: {
        recommendedName: 'string',
        resourceConfig: 'json',
        documentSchema: 'json',
        key: 'strings',
        disable: 'bool',
        resourcePath: 'strings',
      },
    },
  },
  validated: { bindings: { repeated: { resourcePath: 'strings' } } },
  applied: { actionDescription: 'string' },
  opened: { explicitAcknowledgements: 'bool' },
  captured: { binding: 'u32', doc: 'json' },
  sourcedSchema: { binding: 'u32', documentSchema: 'json' },
  checkpoint: { state: { message: { updated: 'json', mergePatch: 'bool' }, nullable: true } },
};

/** The response types, i.e. the keys one of which every response line carries. */
export type CaptureResponseType =
  | 'spec'
  | 'discovered'
  | 'validated'
  | 'applied'
  | 'opened'
  | 'captured'
  | 'sourcedSchema'
  | 'checkpoint';

function isObject(value: unknown): value is { [key: string]: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkShape(value: unknown, shape: Shape, path: string): void {
  if (!isObject(value)) throw new FlowResponseError(path, 'expected an object');
  for (const [name, inner] of Object.entries(value)) {
    const kind = shape[name];
    if (kind === undefined) {
      throw new FlowResponseError(`${path}/${name}`, `unknown field '${name}' (the runtime rejects it)`);
    }
    checkField(inner, kind, `${path}/${name}`);
  }
}

function checkField(value: unknown, kind: FieldKind, path: string): void {
  if (kind === 'json') {
    if (value === undefined) throw new FlowResponseError(path, 'expected a JSON value');
    return;
  }
  if (typeof kind === 'object' && 'message' in kind) {
    if (value === null) return;
    checkShape(value, kind.message, path);
    return;
  }
  if (value === null) throw new FlowResponseError(path, 'null is not allowed for a scalar or repeated field');
  if (kind === 'string') {
    if (typeof value !== 'string') throw new FlowResponseError(path, 'expected a string');
  } else if (kind === 'bool') {
    if (typeof value !== 'boolean') throw new FlowResponseError(path, 'expected a boolean');
  } else if (kind === 'u32') {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 0xffffffff) {
      throw new FlowResponseError(path, 'expected an unsigned 32-bit integer');
    }
  } else if (kind === 'strings') {
    if (!Array.isArray(value)) throw new FlowResponseError(path, 'expected an array of strings');
    value.forEach((item, index) => {
      if (typeof item !== 'string') throw new FlowResponseError(`${path}/${index}`, 'expected a string');
    });
  } else if ('repeated' in kind) {
    if (!Array.isArray(value)) throw new FlowResponseError(path, 'expected an array');
    value.forEach((item, index) => {
      checkShape(item, kind.repeated, `${path}/${index}`);
    });
  } else if (!isObject(value)) {
    throw new FlowResponseError(path, 'expected an object');
  }
}

/**
 * Checks one decoded response against the contract a real Flow runtime enforces and returns its
 * type: exactly one top-level response key (plus an optional `$internal` string), no unknown
 * fields at any depth, scalar types, `spec.protocol` = 3032023, `checkpoint.state` present and
 * carrying `updated`, documents and `updated` states that are JSON objects. Throws
 * {@link FlowResponseError} on the first violation.
 */
export function validateCaptureResponse(response: unknown): CaptureResponseType {
  if (!isObject(response)) throw new FlowResponseError('', 'a response must be a JSON object');
  const keys = Object.keys(response).filter((key) => key !== '$internal');
  if ('$internal' in response && typeof response.$internal !== 'string') {
    throw new FlowResponseError('/$internal', 'expected a base64 string');
  }
  if (keys.length !== 1) {
    throw new FlowResponseError(
      '',
      `a response has exactly one top-level key, got ${keys.length === 0 ? 'none' : keys.join(', ')}`,
    );
  }
  const type = keys[0] as string;
  const shape = responseShapes[type];
  if (shape === undefined) throw new FlowResponseError(`/${type}`, `unknown response type '${type}'`);
  checkShape(response[type], shape, `/${type}`);
  const body = response[type] as { [key: string]: unknown };
  if (type === 'spec' && body.protocol !== FLOW_CAPTURE_PROTOCOL_VERSION) {
    throw new FlowResponseError(
      '/spec/protocol',
      `must be ${FLOW_CAPTURE_PROTOCOL_VERSION}, got ${JSON.stringify(body.protocol)}`,
    );
  }
  if (type === 'captured' && !isObject(body.doc)) {
    throw new FlowResponseError('/captured/doc', 'a captured document must be a JSON object');
  }
  if (type === 'checkpoint') {
    const state = body.state;
    if (!isObject(state)) throw new FlowResponseError('/checkpoint/state', 'a checkpoint must carry state');
    if (!isObject(state.updated)) {
      throw new FlowResponseError('/checkpoint/state/updated', 'the updated state must be a JSON object');
    }
  }
  return type as CaptureResponseType;
}

/**
 * Decodes one stdout line and validates it with {@link validateCaptureResponse}, also enforcing the
 * framing rules: no blank line, no surrounding whitespace-only content, valid JSON.
 */
export function validateCaptureResponseLine(line: string): CaptureResponseType {
  if (line.trim() === '')
    throw new FlowResponseError('', 'blank line on stdout (the runtime fails parsing it)');
  let decoded: unknown;
  try {
    decoded = JSON.parse(line);
  } catch (error) {
    const preview = line.length > 60 ? `${line.slice(0, 60)}…` : line;
    throw new FlowResponseError('', `stdout line is not JSON: ${JSON.stringify(preview)}`, { cause: error });
  }
  return validateCaptureResponse(decoded);
}
