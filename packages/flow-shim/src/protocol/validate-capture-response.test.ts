import responseExamples from '../__fixtures__/flow-capture-response-examples.json';
import { FlowResponseError } from '../errors/flow-response-error';
import { validateCaptureResponse, validateCaptureResponseLine } from './validate-capture-response';

const examples = responseExamples as unknown as Record<string, unknown>;
const responseTypes = [
  'spec',
  'discovered',
  'validated',
  'applied',
  'opened',
  'captured',
  'sourcedSchema',
  'checkpoint',
];

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    return FlowResponseError.isInstance(error) ? error.code : 'not a FlowResponseError';
  }
  return undefined;
}

describe('validateCaptureResponse', () => {
  it.each(responseTypes)('accepts the canonical %s response of the proto-flow snapshot', (type) => {
    expect(validateCaptureResponse({ [type]: examples[type] })).toBe(type);
    expect(validateCaptureResponse({ [type]: examples[type], $internal: examples.$internal })).toBe(type);
  });

  it('accepts proto3 defaults omitted', () => {
    expect(validateCaptureResponseLine('{"opened":{}}')).toBe('opened');
    expect(validateCaptureResponseLine('{"applied":{}}')).toBe('applied');
    expect(validateCaptureResponseLine('{"captured":{"doc":{"a":1}}}')).toBe('captured');
    expect(validateCaptureResponseLine('{"checkpoint":{"state":{"updated":{}}}}')).toBe('checkpoint');
  });

  it.each([
    ['more than one key', { opened: {}, applied: {} }],
    ['no key', {}],
    ['an unknown response type', { materialized: {} }],
    ['an unknown top-level field in a response', { validated: { bindings: [], resourcePath: [] } }],
    [
      'an unknown nested field',
      { discovered: { bindings: [{ recommendedName: 'x', key: [], type: 'binding' }] } },
    ],
    ['an unknown field in oauth2', { spec: { protocol: 3032023, oauth2: { provider: 'p', clientId: 'x' } } }],
    ['a wrong protocol', { spec: { protocol: 3032024 } }],
    ['a spec without protocol', { spec: { configSchema: {} } }],
    ['a checkpoint without state', { checkpoint: {} }],
    ['a checkpoint with null state', { checkpoint: { state: null } }],
    ['the updatedJson spelling', { checkpoint: { state: { updatedJson: {} } } }],
    ['a non-object document', { captured: { binding: 0, doc: [1, 2] } }],
    ['a negative binding', { captured: { binding: -1, doc: {} } }],
    ['a string boolean', { opened: { explicitAcknowledgements: 'true' } }],
    ['null for a scalar', { applied: { actionDescription: null } }],
  ])('rejects %s', (_label, response) => {
    expect(codeOf(() => validateCaptureResponse(response))).toBe('FLOW_INVALID_RESPONSE');
  });

  it('rejects blank and non-JSON stdout lines', () => {
    expect(codeOf(() => validateCaptureResponseLine(''))).toBe('FLOW_INVALID_RESPONSE');
    expect(codeOf(() => validateCaptureResponseLine('hello from print()'))).toBe('FLOW_INVALID_RESPONSE');
  });
});
