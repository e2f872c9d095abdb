import { TransportError } from './errors/transport-error.js';

/**
 * Which gRPC implementation carries the Control and RecordTransfer calls. Both speak the same wire
 * format (gRPC over HTTP/2) and talk to each other and to any other gRPC peer (the AMP engine,
 * Python AMP plugins):
 * - `'http2'`: this package's own gRPC on `node:http2`. The default: it moves Arrow data at about
 *   2.5x the rate of grpc-js for a third of the CPU (see the README's benchmarks).
 * - `'grpc-js'`: `@grpc/grpc-js` through nice-grpc, the reference implementation for Node.
 */
export type GrpcCarrier = 'http2' | 'grpc-js';

/** The carrier used when none is given: `'http2'`. */
export const defaultGrpcCarrier: GrpcCarrier = 'http2';

const carriers: readonly GrpcCarrier[] = ['http2', 'grpc-js'];

/** @internal Validates a carrier named in options or the environment (`source` names where it came from). */
export function resolveGrpcCarrier(value: unknown, source: string): GrpcCarrier {
  if (value === undefined || value === '') return defaultGrpcCarrier;
  if (typeof value === 'string' && (carriers as readonly string[]).includes(value))
    return value as GrpcCarrier;
  throw new TransportError(
    'TRANSPORT_CONFIG',
    `${source} must be one of ${carriers.map((name) => `'${name}'`).join(', ')}, got '${String(value)}'`,
  );
}
