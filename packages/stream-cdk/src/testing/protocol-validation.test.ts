import { ProtocolViolationError } from '../errors/protocol-violation-error';
import { recordMessage } from '../protocol/message-factories';
import {
  assertValidAirbyteMessage,
  assertValidConfiguredCatalog,
  assertValidMessages,
} from './protocol-validation';

function violationOf(run: () => void): ProtocolViolationError {
  try {
    run();
  } catch (error) {
    if (ProtocolViolationError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a ProtocolViolationError');
}

describe('protocol validation', () => {
  it('accepts the messages the CDK builds', () => {
    expect(() => assertValidMessages([recordMessage('items', { id: 1 })])).not.toThrow();
  });

  it('rejects a message that breaks the schema, naming it and every problem', () => {
    const error = violationOf(() =>
      assertValidAirbyteMessage({ type: 'RECORD', record: { stream: 7 } }, 'line 3'),
    );
    expect(error.code).toBe('CDK_PROTOCOL_VIOLATION');
    expect(error.message).toContain('line 3');
    expect(error.problems.length).toBeGreaterThan(0);
  });

  it('rejects a message without the payload its type names', () => {
    const error = violationOf(() => assertValidMessages([{ type: 'STATE' }]));
    expect(error.problems).toEqual(['type STATE lacks its "state" payload']);
  });

  it('checks configured catalogs', () => {
    expect(() =>
      assertValidConfiguredCatalog({
        streams: [
          {
            stream: { name: 'items', json_schema: {}, supported_sync_modes: ['full_refresh'] },
            sync_mode: 'full_refresh',
            destination_sync_mode: 'overwrite',
          },
        ],
      }),
    ).not.toThrow();
    expect(violationOf(() => assertValidConfiguredCatalog({ streams: [{}] })).code).toBe(
      'CDK_PROTOCOL_VIOLATION',
    );
  });
});
