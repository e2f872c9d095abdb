import { AuthenticationError } from '../errors/authentication-error';
import { ConnectionLostError } from '../errors/connection-lost-error';
import { DatabaseNotFoundError } from '../errors/database-not-found-error';
import { PermissionDeniedError } from '../errors/permission-denied-error';
import { PostgresSourceError } from '../errors/postgres-source-error';
import { QueryFailedError } from '../errors/query-failed-error';
import { ServerUnreachableError } from '../errors/server-unreachable-error';
import { TableNotFoundError } from '../errors/table-not-found-error';
import { TransientDatabaseError } from '../errors/transient-database-error';

/** Where the error happened: while connecting, or on an open connection. */
export type ErrorPhase = 'connect' | 'query';

const SOCKET_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'EPIPE',
  'ENOENT', // a unix socket path that does not exist
]);

// SQLSTATEs that pass on their own: serialization failure, deadlock, lock not available, query
// cancelled (statement timeout), and class 53 (insufficient resources: too many connections...).
const TRANSIENT_SQLSTATES = new Set(['40001', '40P01', '55P03', '57014']);

function sqlStateOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Maps an error from `pg` or the socket to this connector's typed errors: authentication and missing
 * objects are not retryable; refused or dropped connections and transient server states are.
 * `where` names the server (host:port/database, never the password).
 */
export function classifyError(error: unknown, phase: ErrorPhase, where: string): PostgresSourceError {
  if (PostgresSourceError.isInstance(error)) return error;
  const reason = messageOf(error);
  const sqlState = sqlStateOf(error);
  const options = { cause: error };
  if (sqlState !== undefined) {
    if (sqlState === '28P01' || sqlState === '28000') {
      return new AuthenticationError(`${where} rejected the credentials: ${reason}`, options);
    }
    if (sqlState === '3D000') return new DatabaseNotFoundError(`${where}: ${reason}`, options);
    if (sqlState === '42501') return new PermissionDeniedError(`${where}: ${reason}`, options);
    if (sqlState === '42P01') return new TableNotFoundError(`${where}: ${reason}`, [], options);
    if (sqlState.startsWith('08') || sqlState === '57P01' || sqlState === '57P02' || sqlState === '57P03') {
      return new ConnectionLostError(`${where} ended the connection: ${reason}`, options);
    }
    if (TRANSIENT_SQLSTATES.has(sqlState) || sqlState.startsWith('53')) {
      return new TransientDatabaseError(`${where}: ${reason} (SQLSTATE ${sqlState})`, options);
    }
    return new QueryFailedError(`${where}: ${reason} (SQLSTATE ${sqlState})`, sqlState, options);
  }
  const code = (error as { code?: unknown } | null)?.code;
  const socketError = typeof code === 'string' && SOCKET_ERROR_CODES.has(code);
  // pg reports a closed socket and its own connect timeout as plain errors, without a code.
  const pgConnectionError = /Connection terminated|connection timeout|not queryable|Connection ended/i.test(
    reason,
  );
  if (socketError || pgConnectionError) {
    return phase === 'connect'
      ? new ServerUnreachableError(`cannot connect to ${where}: ${reason}`, options)
      : new ConnectionLostError(`lost the connection to ${where}: ${reason}`, options);
  }
  return new QueryFailedError(`${where}: ${reason}`, undefined, options);
}
