import { CliUsageError } from '../errors/cli-usage-error';
import { parseCommandLine, USAGE_EXIT_CODE, usageErrorLine } from './parse-command-line';

const options = {
  config: { type: 'string' },
  env: { type: 'string', multiple: true },
  debug: { type: 'boolean' },
  'node-arg': { type: 'string', multiple: true },
} as const;

function problem(argv: string[], allowPositionals = true): string {
  try {
    parseCommandLine(argv, { options, allowPositionals, dashValueOptions: ['node-arg'] });
  } catch (error) {
    expect(CliUsageError.isInstance(error)).toBe(true);
    return (error as Error).message;
  }
  throw new Error(`${JSON.stringify(argv)} parsed`);
}

describe('parseCommandLine', () => {
  it('reads both value spellings, switches, repeated options, positionals and --', () => {
    const parsed = parseCommandLine(
      ['run', '--config', 'a.json', '--env=A=1', '--env', 'B=2', '--debug', '--', '--not-an-option'],
      { options },
    );
    expect(parsed).toEqual({
      help: false,
      version: false,
      values: { config: 'a.json', env: ['A=1', 'B=2'], debug: true },
      positionals: ['run', '--not-an-option'],
    });
  });

  it('adds -h/--help and --version', () => {
    expect(parseCommandLine(['-h'], { options }).help).toBe(true);
    expect(parseCommandLine(['x', '--help'], { options }).help).toBe(true);
    expect(parseCommandLine(['--version'], { options })).toMatchObject({ help: false, version: true });
  });

  it('takes a value starting with a dash for the options declared so', () => {
    const parsed = parseCommandLine(['--node-arg', '--inspect', '--node-arg', '-r', '--debug'], {
      options,
      dashValueOptions: ['node-arg'],
    });
    expect(parsed.values).toEqual({ 'node-arg': ['--inspect', '-r'], debug: true });
  });

  it.each([
    [['--nope'], "[CDK_CLI_USAGE] unknown option '--nope'"],
    [['-x'], "[CDK_CLI_USAGE] unknown option '-x'"],
    [['--config'], "[CDK_CLI_USAGE] option '--config' needs a value"],
    [['--debug=1'], "[CDK_CLI_USAGE] option '--debug' takes no value"],
    [['--node-arg'], "[CDK_CLI_USAGE] option '--node-arg' needs a value"],
  ])('%j: %s', (argv, message) => {
    expect(problem(argv)).toBe(message);
  });

  it('names the option whose value looks like an option, and how to give such a value', () => {
    expect(problem(['--config', '--debug'])).toBe(
      "[CDK_CLI_USAGE] option '--config' needs a value (one that starts with '-' goes as --config=VALUE)",
    );
  });

  it('refuses positionals when none are allowed', () => {
    expect(problem(['--debug', 'extra'], false)).toBe("[CDK_CLI_USAGE] unexpected argument 'extra'");
  });

  it('formats the usage error line and exit code every bin uses', () => {
    expect(usageErrorLine('tool', "unknown option '--x'")).toBe(
      "tool: unknown option '--x'; see 'tool --help'\n",
    );
    expect(USAGE_EXIT_CODE).toBe(2);
  });
});
