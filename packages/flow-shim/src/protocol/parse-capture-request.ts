import { parseJsonText } from '@sdk/stream-cdk';
import { FlowRequestError } from '../errors/flow-request-error';
import type {
  AcknowledgeRequest,
  ApplyRequest,
  CaptureRequest,
  DiscoverRequest,
  OpenRequest,
  SpecRequest,
  ValidateBinding,
  ValidateRequest,
} from './capture-request';
import { encodeStateKey } from './encode-state-key';
import type {
  CaptureBinding,
  CaptureSpec,
  CollectionSpec,
  ConnectorType,
  JsonValue,
  RangeSpec,
} from './flow-specs';

type Loose = { [key: string]: unknown };

const requestKeys = ['spec', 'discover', 'validate', 'apply', 'open', 'acknowledge'] as const;

/** Reads a field by its camelCase wire name or its proto snake_case name (pbjson accepts both). */
function field(source: Loose, camelName: string): unknown {
  if (camelName in source) return source[camelName];
  const snakeName = camelName.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
  if (snakeName in source) return source[snakeName];
  // `*_json` fields: `config` ← `config_json`, `state` ← `state_json`.
  const jsonName = `${snakeName}_json`;
  return source[jsonName];
}

class RequestReader {
  constructor(private readonly lineNumber: number) {}

  fail(path: string, message: string): never {
    throw new FlowRequestError('FLOW_INVALID_REQUEST', this.lineNumber, `${path}: ${message}`);
  }

  object(value: unknown, path: string): Loose {
    if (value === undefined || value === null) return {};
    if (typeof value !== 'object' || Array.isArray(value)) this.fail(path, 'expected an object');
    return value as Loose;
  }

  string(value: unknown, path: string): string {
    if (value === undefined || value === null) return '';
    if (typeof value !== 'string') this.fail(path, 'expected a string');
    return value;
  }

  // u32/fixed32 arrive as numbers or numeric strings.
  unsigned(value: unknown, path: string): number {
    if (value === undefined || value === null) return 0;
    const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof number !== 'number' || !Number.isInteger(number) || number < 0 || number > 0xffffffff) {
      this.fail(path, 'expected an unsigned 32-bit integer');
    }
    return number;
  }

  strings(value: unknown, path: string): string[] {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) this.fail(path, 'expected an array of strings');
    return value.map((item, index) => this.string(item, `${path}/${index}`));
  }

  array(value: unknown, path: string): unknown[] {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) this.fail(path, 'expected an array');
    return value;
  }

  json(value: unknown, fallback: JsonValue): JsonValue {
    return value === undefined ? fallback : (value as JsonValue);
  }

  connectorType(value: unknown, path: string): ConnectorType {
    if (value === undefined || value === null || value === 0 || value === 'INVALID') return 'INVALID';
    if (value === 'IMAGE' || value === 7) return 'IMAGE';
    if (value === 'LOCAL' || value === 8) return 'LOCAL';
    return this.fail(path, `unknown connectorType ${JSON.stringify(value)}`);
  }

  collection(value: unknown, path: string): CollectionSpec {
    const source = this.object(value, path);
    const writeSchema = this.json(field(source, 'writeSchema'), {});
    const readSchema = field(source, 'readSchema');
    return {
      name: this.string(field(source, 'name'), `${path}/name`),
      writeSchema,
      readSchema: readSchema === undefined || readSchema === null ? writeSchema : (readSchema as JsonValue),
      key: this.strings(field(source, 'key'), `${path}/key`),
      uuidPtr: this.string(field(source, 'uuidPtr'), `${path}/uuidPtr`) || '/_meta/uuid',
      partitionFields: this.strings(field(source, 'partitionFields'), `${path}/partitionFields`),
      projections: this.array(field(source, 'projections'), `${path}/projections`) as JsonValue[],
    };
  }

  captureBinding(value: unknown, path: string): CaptureBinding {
    const source = this.object(value, path);
    const resourcePath = this.strings(field(source, 'resourcePath'), `${path}/resourcePath`);
    const backfill = this.unsigned(field(source, 'backfill'), `${path}/backfill`);
    const stateKey = this.string(field(source, 'stateKey'), `${path}/stateKey`);
    return {
      resourceConfig: this.json(field(source, 'resourceConfig'), {}),
      resourcePath,
      collection: this.collection(field(source, 'collection'), `${path}/collection`),
      backfill,
      stateKey: stateKey || encodeStateKey(resourcePath, backfill),
    };
  }

  captureSpec(value: unknown, path: string): CaptureSpec {
    const source = this.object(value, path);
    return {
      name: this.string(field(source, 'name'), `${path}/name`),
      connectorType: this.connectorType(field(source, 'connectorType'), `${path}/connectorType`),
      config: this.json(field(source, 'config'), {}),
      bindings: this.array(field(source, 'bindings'), `${path}/bindings`).map((binding, index) =>
        this.captureBinding(binding, `${path}/bindings/${index}`),
      ),
      intervalSeconds: this.unsigned(field(source, 'intervalSeconds'), `${path}/intervalSeconds`),
    };
  }

  range(value: unknown, path: string): RangeSpec {
    const source = this.object(value, path);
    return {
      keyBegin: this.unsigned(field(source, 'keyBegin'), `${path}/keyBegin`),
      keyEnd: this.unsigned(field(source, 'keyEnd'), `${path}/keyEnd`),
      rClockBegin: this.unsigned(field(source, 'rClockBegin'), `${path}/rClockBegin`),
      rClockEnd: this.unsigned(field(source, 'rClockEnd'), `${path}/rClockEnd`),
    };
  }

  spec(value: unknown): SpecRequest {
    const source = this.object(value, '/spec');
    return {
      connectorType: this.connectorType(field(source, 'connectorType'), '/spec/connectorType'),
      config: this.json(field(source, 'config'), {}),
    };
  }

  discover(value: unknown): DiscoverRequest {
    const source = this.object(value, '/discover');
    return {
      connectorType: this.connectorType(field(source, 'connectorType'), '/discover/connectorType'),
      config: this.json(field(source, 'config'), {}),
    };
  }

  validateBinding(value: unknown, path: string): ValidateBinding {
    const source = this.object(value, path);
    return {
      resourceConfig: this.json(field(source, 'resourceConfig'), {}),
      collection: this.collection(field(source, 'collection'), `${path}/collection`),
      backfill: this.unsigned(field(source, 'backfill'), `${path}/backfill`),
    };
  }

  validate(value: unknown): ValidateRequest {
    const source = this.object(value, '/validate');
    const lastCapture = field(source, 'lastCapture');
    return {
      name: this.string(field(source, 'name'), '/validate/name'),
      connectorType: this.connectorType(field(source, 'connectorType'), '/validate/connectorType'),
      config: this.json(field(source, 'config'), {}),
      bindings: this.array(field(source, 'bindings'), '/validate/bindings').map((binding, index) =>
        this.validateBinding(binding, `/validate/bindings/${index}`),
      ),
      ...(lastCapture === undefined || lastCapture === null
        ? {}
        : { lastCapture: this.captureSpec(lastCapture, '/validate/lastCapture') }),
      lastVersion: this.string(field(source, 'lastVersion'), '/validate/lastVersion'),
    };
  }

  apply(value: unknown): ApplyRequest {
    const source = this.object(value, '/apply');
    const lastCapture = field(source, 'lastCapture');
    return {
      capture: this.captureSpec(field(source, 'capture'), '/apply/capture'),
      version: this.string(field(source, 'version'), '/apply/version'),
      ...(lastCapture === undefined || lastCapture === null
        ? {}
        : { lastCapture: this.captureSpec(lastCapture, '/apply/lastCapture') }),
      lastVersion: this.string(field(source, 'lastVersion'), '/apply/lastVersion'),
    };
  }

  open(value: unknown): OpenRequest {
    const source = this.object(value, '/open');
    let state = field(source, 'state');
    // Older runtimes and flowctl may hand the state over as a JSON string. Its error says where,
    // never what: V8's own message quotes the text, and a state may hold cursors and tokens.
    if (typeof state === 'string') {
      const parsed = parseJsonText(state === '' ? '{}' : state);
      if (!parsed.ok) this.fail('/open/state', `not valid JSON: ${parsed.where}`);
      state = parsed.value;
    }
    return {
      capture: this.captureSpec(field(source, 'capture'), '/open/capture'),
      version: this.string(field(source, 'version'), '/open/version'),
      range: this.range(field(source, 'range'), '/open/range'),
      state: state === undefined || state === null ? {} : (state as JsonValue),
    };
  }

  acknowledge(value: unknown): AcknowledgeRequest {
    const source = this.object(value, '/acknowledge');
    // proto3 omits the default 0, yet "Always one or more": an empty acknowledge means one.
    const checkpoints = this.unsigned(field(source, 'checkpoints'), '/acknowledge/checkpoints');
    return { checkpoints: checkpoints === 0 ? 1 : checkpoints };
  }
}

/**
 * Parses one already-decoded request object leniently, as the runtime's own (pbjson) decoder
 * would: camelCase or snake_case names, unknown fields ignored, absent fields given their proto3
 * defaults, u32 numbers accepted as numeric strings. `lineNumber` (1-based, 0 = unknown) goes into
 * errors. Throws {@link FlowRequestError} `FLOW_UNKNOWN_REQUEST` when no known request key is
 * present or several are, `FLOW_INVALID_REQUEST` when a known field has the wrong type.
 */
export function parseCaptureRequest(message: unknown, lineNumber = 0): CaptureRequest {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    throw new FlowRequestError('FLOW_UNKNOWN_REQUEST', lineNumber, 'a request must be a JSON object');
  }
  const source = message as Loose;
  const present = requestKeys.filter((key) => source[key] !== undefined && source[key] !== null);
  if (present.length === 0) {
    if ('$internal' in source || 'internal' in source) return { type: 'internal' };
    const keys = Object.keys(source).slice(0, 5).join(', ') || 'no keys';
    throw new FlowRequestError(
      'FLOW_UNKNOWN_REQUEST',
      lineNumber,
      `not a capture request (${keys}); expected one of ${requestKeys.join(', ')}`,
    );
  }
  if (present.length > 1) {
    throw new FlowRequestError(
      'FLOW_UNKNOWN_REQUEST',
      lineNumber,
      `a request has exactly one of ${requestKeys.join(', ')}, got ${present.join(' and ')}`,
    );
  }
  const reader = new RequestReader(lineNumber);
  const type = present[0] as (typeof requestKeys)[number];
  switch (type) {
    case 'spec':
      return { type, spec: reader.spec(source.spec) };
    case 'discover':
      return { type, discover: reader.discover(source.discover) };
    case 'validate':
      return { type, validate: reader.validate(source.validate) };
    case 'apply':
      return { type, apply: reader.apply(source.apply) };
    case 'open':
      return { type, open: reader.open(source.open) };
    case 'acknowledge':
      return { type, acknowledge: reader.acknowledge(source.acknowledge) };
  }
}

/**
 * Decodes one stdin line (JSON text) and parses it with {@link parseCaptureRequest}. Throws
 * {@link FlowRequestError} `FLOW_INVALID_JSON` when the line is not JSON, naming the line and column and
 * quoting none of the text.
 */
export function parseCaptureRequestLine(line: string, lineNumber = 0): CaptureRequest {
  // The line carries the endpoint config, secrets and all: the error says where, never what.
  const parsed = parseJsonText(line);
  if (!parsed.ok)
    throw new FlowRequestError('FLOW_INVALID_JSON', lineNumber, `not valid JSON: ${parsed.where}`);
  return parseCaptureRequest(parsed.value, lineNumber);
}
