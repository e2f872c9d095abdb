import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AirbyteCaptureShim } from '../airbyte/airbyte-capture-shim';
import { FlowCliUsageError } from '../errors/flow-cli-usage-error';
import { FakeFlowRuntime } from '../runtime/fake-flow-runtime';
import { SingerCaptureShim } from '../singer/singer-capture-shim';
import { FLOW_SHIM_CLI_HELP, parseFlowShimCli } from './flow-shim-cli';

// The command line read into a capture, without starting anything; the flags that reach the wrapped
// process, and the command itself spawned, are tested in flow-shim-cli.integration.test.ts.

function run(argv: string[]) {
  const command = parseFlowShimCli(argv);
  if (command.kind !== 'run') throw new Error('expected a runnable command');
  return command;
}

function usageError(argv: string[]): FlowCliUsageError {
  try {
    parseFlowShimCli(argv);
  } catch (error) {
    if (FlowCliUsageError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a FlowCliUsageError');
}

describe('parseFlowShimCli', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'flow-shim-cli-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers --help (alone or after a kind) with the usage', () => {
    expect(parseFlowShimCli(['--help'])).toEqual({ kind: 'help', text: FLOW_SHIM_CLI_HELP });
    expect(parseFlowShimCli(['singer', '-h'])).toEqual({ kind: 'help', text: FLOW_SHIM_CLI_HELP });
  });

  it('builds the shim of the kind asked for, leaving the wrapped arguments alone', () => {
    expect(run(['airbyte', '--', 'source-x', '--log.level', 'debug']).connector).toBeInstanceOf(
      AirbyteCaptureShim,
    );
    expect(run(['singer', '--', 'tap-x', '--help']).connector).toBeInstanceOf(SingerCaptureShim);
  });

  it('--version answers with the package version, --quiet is passed on', () => {
    const version = parseFlowShimCli(['--version']);
    expect(version.kind).toBe('version');
    expect(version.kind === 'version' && version.text).toBe(
      (
        JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
          version: string;
        }
      ).version,
    );
    expect(run(['airbyte', '--quiet', '--', 'x']).quiet).toBe(true);
    expect(run(['singer', '--', 'x'])).toMatchObject({ quiet: false, connectorKind: 'singer' });
  });

  it('--log-level sets the level of the logger the capture runs with', () => {
    expect(run(['airbyte', '--log-level', 'debug', '--', 'x']).logger.level).toBe('debug');
    expect(run(['singer', '--log-level=WARN', '--', 'x']).logger.level).toBe('warn');
  });

  it('--config-schema reads a file or inline JSON', async () => {
    const schema = { type: 'object', properties: { token: { type: 'string' } } };
    writeFileSync(path.join(dir, 'schema.json'), JSON.stringify(schema));
    for (const value of [path.join(dir, 'schema.json'), JSON.stringify(schema)]) {
      const spec = await new FakeFlowRuntime({
        connector: run(['singer', '--config-schema', value, '--', 'tap-x']).connector,
      }).spec();
      expect(spec.configSchema).toEqual(schema);
    }
  });

  it.each([
    [['airbyte', '--nope', '--', 'x'], "unknown option '--nope'"],
    [['airbyte', 'extra', '--', 'x'], "unexpected argument 'extra'"],
    [[], "say which kind of connector to wrap: 'airbyte' or 'singer'"],
    [['airbyte', '--', ''], "give the connector's command after '--'"],
    [['airbyte', '--unknown-stream', 'ignore', '--', 'x'], '--unknown-stream must be one of fail, warn'],
    [['airbyte', '--invalid-key', 'drop', '--', 'x'], '--invalid-key must be one of fail, row-id'],
    [['airbyte', '--invalid-line', 'skip', '--', 'x'], '--invalid-line must be one of fail, warn'],
    [['airbyte', '--max-line-bytes', '0', '--', 'x'], '--max-line-bytes must be a positive integer'],
    [['airbyte', '--max-line-bytes', '1.5', '--', 'x'], '--max-line-bytes must be a positive integer'],
    [['airbyte', '--env', 'NOVALUE', '--', 'x'], '--env must look like NAME=VALUE'],
    [['airbyte', '--log-level', 'loud', '--', 'x'], '--log-level must be trace, debug, info, warn or error'],
    [
      ['airbyte', '--oauth2', '/nonexistent/oauth2.json', '--', 'x'],
      "--oauth2: cannot read '/nonexistent/oauth2.json'",
    ],
    [['airbyte', '--oauth2', '{nope', '--', 'x'], '--oauth2: the value is not JSON'],
    [['airbyte', '--about', '--', 'x'], '--config-schema and --about are for Singer taps'],
    [['singer', '--about', '--config-schema', '{}', '--', 'x'], 'give --config-schema or --about, not both'],
    [['singer', '--checkpoints', '--', 'x'], "option '--checkpoints' needs a value"],
    [['singer', '--quiet=yes', '--', 'x'], "option '--quiet' takes no value"],
  ])('refuses %j with FLOW_CLI_USAGE', (argv, message) => {
    const error = usageError(argv);
    expect(error.code).toBe('FLOW_CLI_USAGE');
    expect(error.message).toContain(message);
  });
});
