import type * as GrpcJs from '@grpc/grpc-js';
import type * as NiceGrpc from 'nice-grpc';

// A .cts file is CommonJS in both builds, so `require` exists in either. Both libraries are CommonJS
// only, so the ES module build gets the same instances from here as from an import.

/**
 * `@grpc/grpc-js`, loaded at the first use of the `'grpc-js'` carrier. Loaded up front, it and
 * nice-grpc would add ~3 MB to the ~7 MB JavaScript heap of a process that runs the default `'http2'`
 * carrier, and every garbage collection that marks the heap (dozens per GiB moved, since the
 * received data is memory outside the heap) would mark that too.
 */
export function loadGrpcJs(): typeof GrpcJs {
  return require('@grpc/grpc-js');
}

/** `nice-grpc`, loaded at the first use of the `'grpc-js'` carrier (see {@link loadGrpcJs}). */
export function loadNiceGrpc(): typeof NiceGrpc {
  return require('nice-grpc');
}
