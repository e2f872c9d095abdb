import {
  CONNECTOR_ENGINE_NAMES,
  engineDependencies,
  extraEngines,
  parseConnectorEngines,
} from './connector-engines';
import { UsageError } from './errors/usage-error';

function usageErrorOf(action: () => unknown): UsageError {
  try {
    action();
  } catch (error) {
    if (UsageError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('no error thrown');
}

describe('parseConnectorEngines', () => {
  it('reads a comma-separated list or an array, trims, drops repeats and follows the engines order', () => {
    expect(parseConnectorEngines('stream', 'panoply, amp,amp')).toEqual(['amp', 'panoply']);
    expect(parseConnectorEngines('datasource', ['flow', 'airbyte', 'panoply', 'amp'])).toEqual([
      'airbyte',
      'flow',
      'amp',
      'panoply',
    ]);
    expect(CONNECTOR_ENGINE_NAMES).toEqual(['airbyte', 'flow', 'amp', 'panoply']);
  });

  it.each([
    ['stream', 'amp,sink', 'sink'],
    ['stream', 'AMP', 'AMP'],
    ['datasource', '', 'at least one'],
    ['datasource', ' , ', 'at least one'],
    ['flow', 'amp', 'stream and datasource'],
    ['plugin', 'airbyte', 'stream and datasource'],
  ] as const)('%s with %j is a CREATE_CONNECTOR_USAGE error', (kind, engines, mentioned) => {
    const error = usageErrorOf(() => parseConnectorEngines(kind, engines));
    expect(error.code).toBe('CREATE_CONNECTOR_USAGE');
    expect(error.message).toContain(mentioned);
  });
});

describe('extraEngines and engineDependencies', () => {
  it('leave out the kind’s own engine', () => {
    expect(extraEngines('stream', ['airbyte', 'flow', 'amp', 'panoply'])).toEqual(['flow', 'amp', 'panoply']);
    expect(extraEngines('datasource', ['airbyte', 'flow', 'amp', 'panoply'])).toEqual([
      'airbyte',
      'flow',
      'amp',
    ]);
    expect(extraEngines('stream', ['airbyte'])).toEqual([]);
  });

  it('add exactly the packages each engine’s entry point imports, each once', () => {
    expect(engineDependencies('stream', ['amp'])).toEqual({
      sdkPackages: ['@sdk/amp-input-tool', '@sdk/transport-grpc'],
      otherDependencies: ['apache-arrow'],
    });
    expect(engineDependencies('stream', ['panoply'])).toEqual({
      sdkPackages: ['@sdk/datasource-bridge', '@sdk/datasource'],
      otherDependencies: [],
    });
    expect(engineDependencies('datasource', ['airbyte', 'flow'])).toEqual({
      sdkPackages: ['@sdk/datasource-bridge', '@sdk/stream-cdk', '@sdk/flow-shim'],
      otherDependencies: [],
    });
    expect(engineDependencies('datasource', [])).toEqual({ sdkPackages: [], otherDependencies: [] });
  });
});
