import { ConfigValidationError } from '../errors/config-validation-error';
import { validateConfig } from './validate-config';

const spec = {
  connectionSpecification: {
    type: 'object',
    required: ['start_date', 'mode'],
    properties: {
      start_date: { type: 'string', format: 'date-time' },
      mode: { type: 'string', enum: ['fast', 'safe'] },
      token: { type: 'string', airbyte_secret: true, minLength: 8 },
    },
  },
};

function problemsOf(config: unknown) {
  try {
    validateConfig(spec, config);
  } catch (error) {
    expect(ConfigValidationError.isInstance(error)).toBe(true);
    return (error as ConfigValidationError).problems;
  }
  return [];
}

describe('validateConfig', () => {
  it('accepts a valid config', () => {
    expect(problemsOf({ start_date: '2024-01-01T00:00:00Z', mode: 'fast' })).toEqual([]);
  });

  it('reports every problem with its path, and formats are checked', () => {
    expect(problemsOf({ start_date: 'yesterday', token: 'short-s' })).toEqual([
      { path: '/mode', message: 'is required' },
      { path: '/start_date', message: 'must match format "date-time"' },
      { path: '/token', message: 'must NOT have fewer than 8 characters' },
    ]);
    expect(problemsOf({ start_date: '2024-01-01T00:00:00Z', mode: 'slow' })).toEqual([
      { path: '/mode', message: 'must be one of ["fast","safe"]' },
    ]);
  });

  it('never puts the value itself in the message', () => {
    let message = '';
    try {
      validateConfig(spec, { start_date: '2024-01-01T00:00:00Z', mode: 'fast', token: 'tiny' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('/token');
    expect(message).not.toContain('tiny');
  });
});
