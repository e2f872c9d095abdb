import fc from 'fast-check';
import requestExamples from '../__fixtures__/flow-capture-request-examples.json';
import { fuzzParameters } from '../__fixtures__/fuzz-parameters';
import { FlowShimError } from '../errors/flow-shim-error';
import { parseCaptureRequestLine } from './parse-capture-request';

// Fuzzer of Flow request parsing: each line the runtime writes on the connector's stdin. Invariant: a
// request, or a FlowRequestError (FLOW_INVALID_JSON, FLOW_UNKNOWN_REQUEST, FLOW_INVALID_REQUEST) that
// quotes none of the line's values (the line carries the endpoint config and its secrets); never
// another throw. Inputs: the proto-flow snapshot's requests, with fields replaced, and damaged text.
// FUZZ_RUNS / FUZZ_SEED as in every fuzz test.

const examples = requestExamples as unknown as Record<string, unknown>;
// Short: V8 quotes only a few characters of JSON text it cannot parse.
const secret = 'Q7z';
const codes = new Set(['FLOW_INVALID_JSON', 'FLOW_UNKNOWN_REQUEST', 'FLOW_INVALID_REQUEST']);

/** Every string in `value` carries the secret, so that a quoted value would show. */
function withSecrets(value: unknown): unknown {
  if (typeof value === 'string') return `${value}${secret}`;
  if (Array.isArray(value)) return value.map(withSecrets);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, withSecrets(inner)]));
  }
  return value;
}

/** Where secrets travel: endpoint and resource configs, and the connector state. */
const secretKeys = new Set(['config', 'resourceConfig', 'state']);

/** `value` with the secret put into every config and state it holds. */
function withSecretConfigs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withSecretConfigs);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key,
      secretKeys.has(key) ? withSecrets(inner) : withSecretConfigs(inner),
    ]),
  );
}

/** `value` with the part at `path` (keys picked by index) replaced by `replacement`. */
function replaced(value: unknown, path: readonly number[], replacement: unknown): unknown {
  if (path.length === 0 || value === null || typeof value !== 'object') return replacement;
  const keys = Object.keys(value);
  if (keys.length === 0) return replacement;
  const key = keys[(path[0] as number) % keys.length] as string;
  const copy = (Array.isArray(value) ? [...value] : { ...value }) as Record<string, unknown>;
  copy[key] = replaced((value as Record<string, unknown>)[key], path.slice(1), replacement);
  return copy;
}

const requestKey = fc.constantFrom('spec', 'discover', 'validate', 'apply', 'open', 'acknowledge');

/** A snapshot request, its configs and state carrying the secret, with one part replaced. */
const requestLine = fc
  .tuple(
    requestKey,
    fc.constantFrom('object', 'text', 'cut text', 'bad token', 'trailing text', 'bare word'),
    fc.option(
      fc.tuple(
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.oneof(fc.jsonValue({ maxDepth: 1 }), fc.constantFrom('', '-1', '4294967296', 'IMAGE', `{"x":`)),
      ),
      { nil: undefined, freq: 4 },
    ),
  )
  .map(([key, stateAsText, replacement]) => {
    let body = withSecretConfigs(examples[key]) as Record<string, unknown>;
    // Older runtimes send the open state as JSON text, which may be damaged too.
    if (key === 'open' && stateAsText !== 'object') {
      const text = JSON.stringify(body.state);
      const state =
        stateAsText === 'cut text'
          ? text.slice(0, -1)
          : stateAsText === 'bad token'
            ? text.replace(':', ':x')
            : stateAsText === 'trailing text'
              ? `${text} ${secret}`
              : stateAsText === 'bare word'
                ? `{"token":${secret}}`
                : text;
      body = { ...body, state };
    }
    const request = { [key]: replacement === undefined ? body : replaced(body, ...replacement) };
    return JSON.stringify(request);
  });

const damagedLine = fc
  .tuple(
    requestLine,
    fc.double({ min: 0, max: 1, noNaN: true }),
    fc.integer({ min: 0, max: 3 }),
    fc.string({
      unit: fc.constantFrom('{', '}', '[', ']', '"', ':', ',', '\\', 'u', '0', ' ', '\ud800'),
      maxLength: 3,
    }),
  )
  .map(([line, at, remove, insert]) => {
    const position = Math.floor(at * line.length);
    return line.slice(0, position) + insert + line.slice(position + remove);
  });

describe('fuzz: Flow request lines (parseCaptureRequestLine)', () => {
  it('parses any request line or refuses it with a FlowRequestError that quotes no value', () => {
    fc.assert(
      fc.property(
        fc.oneof(requestLine, damagedLine, fc.string({ maxLength: 20 })),
        fc.nat({ max: 1000 }),
        (line, lineNumber) => {
          try {
            const request = parseCaptureRequestLine(line, lineNumber);
            expect(['spec', 'discover', 'validate', 'apply', 'open', 'acknowledge', 'internal']).toContain(
              request.type,
            );
          } catch (error) {
            if (!FlowShimError.isInstance(error) || !codes.has(error.code)) throw error;
            expect(error.message).not.toContain(secret);
            if (lineNumber > 0) expect(error.message).toContain(`stdin line ${lineNumber}:`);
          }
        },
      ),
      fuzzParameters(500),
    );
  });
});
