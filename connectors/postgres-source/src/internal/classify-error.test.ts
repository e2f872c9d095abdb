import { PostgresSourceError } from '../errors/postgres-source-error';
import { classifyError } from './classify-error';

function serverError(code: string): Error {
  return Object.assign(new Error(`server said ${code}`), { code });
}

test.each([
  ['28P01', 'POSTGRES_AUTH_FAILED', false],
  ['28000', 'POSTGRES_AUTH_FAILED', false],
  ['3D000', 'POSTGRES_DATABASE_NOT_FOUND', false],
  ['42501', 'POSTGRES_PERMISSION_DENIED', false],
  ['42P01', 'POSTGRES_TABLE_NOT_FOUND', false],
  ['57P01', 'POSTGRES_CONNECTION_LOST', true],
  ['08006', 'POSTGRES_CONNECTION_LOST', true],
  ['40001', 'POSTGRES_TRANSIENT', true],
  ['40P01', 'POSTGRES_TRANSIENT', true],
  ['53300', 'POSTGRES_TRANSIENT', true],
  ['22P02', 'POSTGRES_QUERY_FAILED', false],
])('SQLSTATE %s is %s (retryable: %s)', (sqlState, code, retryable) => {
  const error = classifyError(serverError(sqlState), 'query', 'postgres://h:5432/d');
  expect(error.code).toBe(code);
  expect(error.retryable).toBe(retryable);
  expect(error.message).toContain('postgres://h:5432/d');
});

test('socket errors are unreachable while connecting, connection lost afterwards; both retryable', () => {
  const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
  expect(classifyError(refused, 'connect', 'x').code).toBe('POSTGRES_UNREACHABLE');
  const dropped = new Error('Connection terminated unexpectedly');
  const lost = classifyError(dropped, 'query', 'x');
  expect(lost.code).toBe('POSTGRES_CONNECTION_LOST');
  expect(lost.retryable).toBe(true);
  expect(lost.cause).toBe(dropped);
});

test('errors already typed pass through unchanged', () => {
  const typed = new PostgresSourceError('POSTGRES_INVALID_STATE', 'x', false);
  expect(classifyError(typed, 'query', 'x')).toBe(typed);
});
