import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from './errors/usage-error';
import { parseCreateConnectorArgs, runCreateConnectorCli } from './run-create-connector-cli';

describe('create-connector command line', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'create-connector-cli-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const run = async (...argv: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await runCreateConnectorCli(argv, {
      cwd: dir,
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
    });
    return { code, stdout, stderr };
  };

  it('parses the name and --kind in either spelling, and ignores the `--` npm create passes on', () => {
    expect(parseCreateConnectorArgs(['acme', '--kind', 'flow'])).toEqual({
      name: 'acme',
      kind: 'flow',
      help: false,
    });
    expect(parseCreateConnectorArgs(['--', '--kind=plugin', 'acme'])).toEqual({
      name: 'acme',
      kind: 'plugin',
      help: false,
    });
    expect(parseCreateConnectorArgs(['acme', '--kind', 'stream', '--engines', 'amp,panoply'])).toEqual({
      name: 'acme',
      kind: 'stream',
      engines: 'amp,panoply',
      help: false,
    });
    expect(parseCreateConnectorArgs(['acme', '--engines=flow', '--kind=datasource']).engines).toBe('flow');
    expect(() => parseCreateConnectorArgs(['acme', '--kind', 'stream', '--engines'])).toThrow(UsageError);
    expect(() => parseCreateConnectorArgs(['acme', '--kind'])).toThrow(UsageError);
    expect(() => parseCreateConnectorArgs(['acme', '--force'])).toThrow(UsageError);
    expect(() => parseCreateConnectorArgs(['acme', 'other'])).toThrow(UsageError);
  });

  it('--help prints the usage and every kind, and writes nothing', async () => {
    const result = await run('--help');
    expect(result.code).toBe(0);
    for (const kind of ['stream', 'flow', 'datasource', 'plugin'])
      expect(result.stdout).toContain(`  ${kind} `);
    expect(existsSync(join(dir, '--help'))).toBe(false);
  });

  it('generates a connector and says what to run next', async () => {
    const result = await run('acme-orders', '--kind', 'datasource');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Created datasource connector acme-orders in acme-orders (standalone');
    expect(result.stdout).toContain('Next, from acme-orders:\n  npm install');
    expect(existsSync(join(dir, 'acme-orders', 'src', 'bin', 'acme-orders.ts'))).toBe(true);
  });

  it('--engines adds one bin per engine and says so', async () => {
    const result = await run('acme-orders', '--kind', 'stream', '--engines', 'amp,panoply');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'Also served to amp, panoply: bins acme-orders-amp, acme-orders-panoply.',
    );
    for (const bin of ['acme-orders-amp', 'acme-orders-panoply'])
      expect(existsSync(join(dir, 'acme-orders', 'src', 'bin', `${bin}.ts`))).toBe(true);
  });

  it('--version prints the package version on stdout and writes nothing', async () => {
    const result = await run('--version');
    const manifest = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(result).toEqual({ code: 0, stdout: `${manifest.version}\n`, stderr: '' });
    expect(parseCreateConnectorArgs(['acme', '--version'])).toMatchObject({ name: 'acme', version: true });
  });

  it.each([
    [['acme', '--kind'], "option '--kind' needs a value"],
    [
      ['acme', '--kind', '--engines', 'amp'],
      "option '--kind' needs a value (one that starts with '-' goes as --kind=VALUE)",
    ],
    [['acme', '--help=yes'], "option '--help' takes no value"],
    [['acme', '-x'], "unknown option '-x'"],
  ])('%j: one usage line naming the option', async (argv, problem) => {
    const result = await run(...argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `create-connector: [CREATE_CONNECTOR_USAGE] ${problem}; see 'create-connector --help'\n`,
    );
  });

  it('--help lists the engines', async () => {
    const result = await run('--help');
    for (const engine of ['airbyte', 'flow', 'amp', 'panoply'])
      expect(result.stdout).toContain(`  ${engine} `);
    expect(result.stdout).toContain('--engines <engine,...>');
  });

  it.each([
    [['acme', '--kind', 'stream', '--engines', 'amp,singer'], 'CREATE_CONNECTOR_USAGE'],
    [['acme', '--kind', 'flow', '--engines', 'amp'], 'CREATE_CONNECTOR_USAGE'],
    [['acme', '--kind', 'plugin', '--engines=airbyte'], 'CREATE_CONNECTOR_USAGE'],
    [['acme', '--kind', 'datasource', '--engines='], 'CREATE_CONNECTOR_USAGE'],
    [['acme', '--kind', 'datasource', '--engines'], 'CREATE_CONNECTOR_USAGE'],
  ])('%j: exit code 2, one [%s] line, nothing written', async (argv, code) => {
    const result = await run(...argv);
    expect(result.code).toBe(2);
    expect(result.stderr.startsWith(`create-connector: [${code}] `)).toBe(true);
    expect(result.stderr.endsWith("; see 'create-connector --help'\n")).toBe(true);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(join(dir, 'acme'))).toBe(false);
  });

  it.each([
    [['acme', '--kind', 'sink'], 'CREATE_CONNECTOR_UNKNOWN_KIND'],
    [['Acme', '--kind', 'stream'], 'CREATE_CONNECTOR_INVALID_NAME'],
    [['--kind', 'stream'], 'CREATE_CONNECTOR_USAGE'],
    [['acme'], 'CREATE_CONNECTOR_USAGE'],
    [['acme', '--kind', 'stream', '--force'], 'CREATE_CONNECTOR_USAGE'],
  ])('%j: exit code 2, one [%s] line and no stack', async (argv, code) => {
    const result = await run(...argv);
    expect(result.code).toBe(2);
    expect(result.stderr.startsWith(`create-connector: [${code}] `)).toBe(true);
    expect(result.stderr.endsWith("; see 'create-connector --help'\n")).toBe(true);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('an unknown kind lists the kinds there are', async () => {
    const result = await run('acme', '--kind', 'sink');
    expect(result.stderr).toContain('stream, flow, datasource, plugin');
  });

  it('an existing directory is exit code 2 with CREATE_CONNECTOR_TARGET_EXISTS', async () => {
    expect((await run('acme', '--kind', 'stream')).code).toBe(0);
    const again = await run('acme', '--kind', 'plugin');
    expect(again.code).toBe(2);
    expect(again.stderr.startsWith('create-connector: [CREATE_CONNECTOR_TARGET_EXISTS] ')).toBe(true);
  });
});
