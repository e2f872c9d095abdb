import type { ConnectorKind } from './connector-kinds';
import { UsageError } from './errors/usage-error';

/** An engine a generated connector can be served to, besides the one its kind is native to. */
export type ConnectorEngine = 'airbyte' | 'flow' | 'amp' | 'panoply';

/** One engine `--engines` accepts. */
export interface ConnectorEngineDefinition {
  readonly engine: ConnectorEngine;
  /** One line for `--help` and the README. */
  readonly description: string;
  /**
   * The kinds whose connectors can be served to this engine, each with the `@sdk` packages the engine's
   * entry point imports for that kind, and its other run-time dependencies. A kind whose native engine
   * this is lists none: naming it adds nothing.
   */
  readonly kinds: Readonly<
    Partial<
      Record<
        ConnectorKind,
        { readonly sdkPackages: readonly string[]; readonly otherDependencies: readonly string[] }
      >
    >
  >;
}

const NONE = { sdkPackages: [], otherDependencies: [] } as const;

/** Every engine, in the order `--help` lists them (and generated files, bins and README sections follow). */
export const CONNECTOR_ENGINES: readonly ConnectorEngineDefinition[] = Object.freeze([
  {
    engine: 'airbyte',
    description: 'the Airbyte protocol CLI (spec | check | discover | read), bin <name>-airbyte',
    kinds: {
      stream: NONE,
      datasource: { sdkPackages: ['@sdk/datasource-bridge', '@sdk/stream-cdk'], otherDependencies: [] },
    },
  },
  {
    engine: 'flow',
    description: 'an Estuary Flow capture on stdin/stdout, bin <name>-flow',
    kinds: {
      stream: { sdkPackages: ['@sdk/flow-shim'], otherDependencies: [] },
      datasource: { sdkPackages: ['@sdk/datasource-bridge', '@sdk/flow-shim'], otherDependencies: [] },
    },
  },
  {
    engine: 'amp',
    description: 'an AMP-style input tool (Arrow over gRPC, one anchor per stream), bin <name>-amp',
    kinds: {
      stream: {
        sdkPackages: ['@sdk/amp-input-tool', '@sdk/transport-grpc'],
        otherDependencies: ['apache-arrow'],
      },
      datasource: {
        sdkPackages: ['@sdk/datasource-bridge', '@sdk/amp-input-tool', '@sdk/transport-grpc'],
        otherDependencies: ['apache-arrow'],
      },
    },
  },
  {
    engine: 'panoply',
    description: 'the Panoply-style runner into a JSON-lines file with a state file, bin <name>-panoply',
    kinds: {
      stream: { sdkPackages: ['@sdk/datasource-bridge', '@sdk/datasource'], otherDependencies: [] },
      datasource: NONE,
    },
  },
] satisfies ConnectorEngineDefinition[]);

/** The engine names, in order. */
export const CONNECTOR_ENGINE_NAMES: readonly ConnectorEngine[] = Object.freeze(
  CONNECTOR_ENGINES.map((definition) => definition.engine),
);

/**
 * Parses and checks the engines a connector of `kind` should also be served to: a comma-separated list
 * (`'amp,panoply'`) or an array of names. Spaces around names are ignored, a name given twice counts
 * once, and the result follows {@link CONNECTOR_ENGINE_NAMES}' order. The kind's own engine (`airbyte`
 * for `stream`, `panoply` for `datasource`) is accepted and kept in the result, though it adds no file.
 *
 * @throws UsageError (`CREATE_CONNECTOR_USAGE`) for an empty list, an unknown engine, or a kind that
 * cannot be served to other engines (`flow`, `plugin`).
 */
export function parseConnectorEngines(
  kind: ConnectorKind,
  engines: string | readonly string[],
): ConnectorEngine[] {
  const names = (typeof engines === 'string' ? engines.split(',') : [...engines]).map((name) => name.trim());
  if (names.length === 0 || names.every((name) => name === '')) {
    throw new UsageError(`--engines needs at least one of: ${CONNECTOR_ENGINE_NAMES.join(', ')}`);
  }
  const chosen = new Set<ConnectorEngine>();
  for (const name of names) {
    const definition = CONNECTOR_ENGINES.find((candidate) => candidate.engine === name);
    if (definition === undefined) {
      throw new UsageError(
        `unknown engine ${JSON.stringify(name)} in --engines; use one or more of: ${CONNECTOR_ENGINE_NAMES.join(', ')}`,
      );
    }
    if (definition.kinds[kind] === undefined) {
      throw new UsageError(
        `--engines works for the stream and datasource kinds only; a ${kind} connector serves its own engine`,
      );
    }
    chosen.add(definition.engine);
  }
  return CONNECTOR_ENGINE_NAMES.filter((engine) => chosen.has(engine));
}

/**
 * The engines of `engines` that need files of their own for a `kind` connector: all but the kind's
 * native one. Assumes `engines` passed {@link parseConnectorEngines}.
 */
export function extraEngines(kind: ConnectorKind, engines: readonly ConnectorEngine[]): ConnectorEngine[] {
  return engines.filter((engine) => {
    const forKind = CONNECTOR_ENGINES.find((candidate) => candidate.engine === engine)?.kinds[kind];
    return forKind !== undefined && forKind.sdkPackages.length > 0;
  });
}

/** The `@sdk` packages and other run-time dependencies `engines` add to a `kind` connector, each once. */
export function engineDependencies(
  kind: ConnectorKind,
  engines: readonly ConnectorEngine[],
): { sdkPackages: string[]; otherDependencies: string[] } {
  const sdkPackages = new Set<string>();
  const otherDependencies = new Set<string>();
  for (const engine of engines) {
    const forKind = CONNECTOR_ENGINES.find((candidate) => candidate.engine === engine)?.kinds[kind];
    for (const name of forKind?.sdkPackages ?? []) sdkPackages.add(name);
    for (const name of forKind?.otherDependencies ?? []) otherDependencies.add(name);
  }
  return { sdkPackages: [...sdkPackages], otherDependencies: [...otherDependencies] };
}
