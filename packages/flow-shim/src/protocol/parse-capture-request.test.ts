import requestExamples from '../__fixtures__/flow-capture-request-examples.json';
import { FlowRequestError } from '../errors/flow-request-error';
import { parseCaptureRequest, parseCaptureRequestLine } from './parse-capture-request';

const examples = requestExamples as unknown as Record<string, unknown>;

function only(key: string): Record<string, unknown> {
  return { [key]: examples[key] };
}

describe('parseCaptureRequest', () => {
  it('parses every canonical request of the proto-flow snapshot', () => {
    const spec = parseCaptureRequest(only('spec'));
    expect(spec).toEqual({ type: 'spec', spec: { connectorType: 'IMAGE', config: { spec: 'config' } } });

    const validate = parseCaptureRequest(only('validate'));
    if (validate.type !== 'validate') throw new Error('wrong type');
    expect(validate.validate.name).toBe('validate/capture');
    expect(validate.validate.bindings[0]?.backfill).toBe(1);
    expect(validate.validate.bindings[0]?.collection.key).toEqual(['/key/one', '/key/two']);
    expect(validate.validate.bindings[0]?.collection.readSchema).toEqual({ read: 'schema' });
    expect(validate.validate.lastVersion).toBe('11:22:33:44');

    const open = parseCaptureRequest(only('open'));
    if (open.type !== 'open') throw new Error('wrong type');
    expect(open.open.capture.bindings[0]?.stateKey).toBe('a%2Fcdc%2Ftable+baz.v3');
    expect(open.open.capture.intervalSeconds).toBe(300);
    expect(open.open.range).toEqual({
      keyBegin: 1122867,
      keyEnd: 1146447479,
      rClockBegin: 2291772091,
      rClockEnd: 3437096703,
    });
    expect(open.open.state).toEqual({ connector: { state: 42 } });

    const apply = parseCaptureRequest(only('apply'));
    if (apply.type !== 'apply') throw new Error('wrong type');
    expect(apply.apply.capture.bindings[0]?.resourcePath).toEqual(['some', 'path']);
    expect(apply.apply.lastVersion).toBe('00:11:22:33');

    expect(parseCaptureRequest(only('acknowledge'))).toEqual({
      type: 'acknowledge',
      acknowledge: { checkpoints: 32 },
    });
    expect(parseCaptureRequest({ $internal: examples.$internal })).toEqual({ type: 'internal' });
  });

  it('answers the image probe: an empty spec gets defaults', () => {
    expect(parseCaptureRequestLine('{"spec":{}}')).toEqual({
      type: 'spec',
      spec: { connectorType: 'INVALID', config: {} },
    });
  });

  it('accepts snake_case names, numeric strings and fills absent defaults', () => {
    const parsed = parseCaptureRequest({
      open: {
        capture: {
          name: 'c',
          connector_type: 'LOCAL',
          config_json: { a: 1 },
          bindings: [
            {
              resource_config: { stream: 's' },
              resource_path: ['ns', 's'],
              collection: { write_schema: { w: 1 } },
            },
          ],
        },
        range: { key_end: '4294967295', r_clock_end: 4294967295 },
        state_json: { bindingStateV1: {} },
        $internal: 'AAAA',
        futureField: true,
      },
    });
    if (parsed.type !== 'open') throw new Error('wrong type');
    const binding = parsed.open.capture.bindings[0];
    expect(parsed.open.capture.connectorType).toBe('LOCAL');
    expect(parsed.open.capture.config).toEqual({ a: 1 });
    expect(binding?.resourceConfig).toEqual({ stream: 's' });
    expect(binding?.backfill).toBe(0);
    // No stateKey sent: computed exactly like the runtime does.
    expect(binding?.stateKey).toBe('ns%2Fs');
    expect(binding?.collection.readSchema).toEqual({ w: 1 });
    expect(binding?.collection.uuidPtr).toBe('/_meta/uuid');
    expect(parsed.open.range).toEqual({
      keyBegin: 0,
      keyEnd: 4294967295,
      rClockBegin: 0,
      rClockEnd: 4294967295,
    });
    expect(parsed.open.state).toEqual({ bindingStateV1: {} });
  });

  it('defaults a missing open state to {} and an empty acknowledge to one checkpoint', () => {
    const open = parseCaptureRequest({ open: { capture: { bindings: [] } } });
    if (open.type !== 'open') throw new Error('wrong type');
    expect(open.open.state).toEqual({});
    expect(parseCaptureRequest({ acknowledge: {} })).toEqual({
      type: 'acknowledge',
      acknowledge: { checkpoints: 1 },
    });
  });

  it.each([
    ['not JSON', 'hello there', 'FLOW_INVALID_JSON'],
    ['an array', '[1,2]', 'FLOW_UNKNOWN_REQUEST'],
    ['an unknown request', '{"materialize":{}}', 'FLOW_UNKNOWN_REQUEST'],
    ['two requests at once', '{"spec":{},"discover":{}}', 'FLOW_UNKNOWN_REQUEST'],
    ['a wrongly typed field', '{"acknowledge":{"checkpoints":"many"}}', 'FLOW_INVALID_REQUEST'],
    ['bindings that are not an array', '{"validate":{"bindings":{}}}', 'FLOW_INVALID_REQUEST'],
    ['an unknown connector type', '{"spec":{"connectorType":"DOCKER"}}', 'FLOW_INVALID_REQUEST'],
  ])('rejects %s with a typed error', (_label, line, code) => {
    let caught: unknown;
    try {
      parseCaptureRequestLine(line, 7);
    } catch (error) {
      caught = error;
    }
    expect(FlowRequestError.isInstance(caught)).toBe(true);
    expect((caught as FlowRequestError).code).toBe(code);
    expect((caught as FlowRequestError).lineNumber).toBe(7);
  });
});

describe('parseCaptureRequestLine on a line that is not JSON', () => {
  it('says where the text breaks and quotes none of it (the config may hold secrets)', () => {
    const line = '{"spec": {"connectorType": "LOCAL", "config": {"client_secret": hunter22}}}';
    let caught: unknown;
    try {
      parseCaptureRequestLine(line, 3);
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: 'FLOW_INVALID_JSON' });
    expect(String((caught as Error).message)).toMatch(/line 1 column \d+/);
    expect(String((caught as Error).message)).not.toContain('hunter22');
  });
});

describe('an open state sent as JSON text that does not parse', () => {
  it('says where, quoting none of the state (found by fuzzing: V8 quoted it)', () => {
    const line = JSON.stringify({ open: { ...(examples.open as object), state: '{"token":s3cret}' } });
    let caught: unknown;
    try {
      parseCaptureRequestLine(line, 4);
    } catch (error) {
      caught = error;
    }
    expect(FlowRequestError.isInstance(caught)).toBe(true);
    expect((caught as FlowRequestError).code).toBe('FLOW_INVALID_REQUEST');
    expect((caught as Error).message).toBe(
      '[FLOW_INVALID_REQUEST] stdin line 4: /open/state: not valid JSON: expected a value at line 1 column 10',
    );
  });
});
