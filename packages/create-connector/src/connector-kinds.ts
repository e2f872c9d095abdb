import { UnknownKindError } from './errors/unknown-kind-error';

/** What a generated connector is, and so which `@sdk` layers it depends on. */
export type ConnectorKind = 'stream' | 'flow' | 'datasource' | 'plugin';

/** One kind of connector the generator can scaffold. */
export interface ConnectorKindDefinition {
  readonly kind: ConnectorKind;
  /** One line for `--help` and the README. */
  readonly description: string;
  /** The `@sdk` packages the connector imports at run time, and nothing else from `@sdk`. */
  readonly sdkPackages: readonly string[];
  /** Other run-time dependencies (peer dependencies of the `@sdk` packages the connector's code uses). */
  readonly otherDependencies: readonly string[];
}

/** Every kind, in the order `--help` lists them. */
export const CONNECTOR_KINDS: readonly ConnectorKindDefinition[] = Object.freeze([
  {
    kind: 'stream',
    description: 'an Airbyte source with one paged, resumable stream and the spec/check/discover/read CLI',
    sdkPackages: ['@sdk/stream-cdk'],
    otherDependencies: [],
  },
  {
    kind: 'flow',
    description: 'an Estuary Flow capture with per-binding checkpoints, served on stdin/stdout',
    sdkPackages: ['@sdk/flow-shim'],
    otherDependencies: [],
  },
  {
    kind: 'datasource',
    description: 'a Panoply-style data source module (Stream + CONFIG) run by the resumable runner',
    sdkPackages: ['@sdk/datasource'],
    otherDependencies: [],
  },
  {
    kind: 'plugin',
    description: 'an AMP-style plugin transforming Arrow tables, served over gRPC',
    sdkPackages: ['@sdk/transport-grpc', '@sdk/arrow-chunker'],
    otherDependencies: ['apache-arrow'],
  },
] satisfies ConnectorKindDefinition[]);

/** The kind names, e.g. for an error message or a usage line. */
export const CONNECTOR_KIND_NAMES: readonly ConnectorKind[] = Object.freeze(
  CONNECTOR_KINDS.map((definition) => definition.kind),
);

/**
 * The definition of `kind`.
 *
 * @throws UnknownKindError (`CREATE_CONNECTOR_UNKNOWN_KIND`) listing the known kinds.
 */
export function connectorKind(kind: string): ConnectorKindDefinition {
  const definition = CONNECTOR_KINDS.find((candidate) => candidate.kind === kind);
  if (definition === undefined) throw new UnknownKindError(kind, CONNECTOR_KIND_NAMES);
  return definition;
}
