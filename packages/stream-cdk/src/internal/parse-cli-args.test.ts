import { CliUsageError } from '../errors/cli-usage-error';
import { parseCliArgs } from './parse-cli-args';

describe('parseCliArgs', () => {
  it('parses the four commands and --debug anywhere', () => {
    expect(parseCliArgs(['spec'])).toEqual({ command: 'spec', debug: false });
    expect(parseCliArgs(['--debug', 'check', '--config', 'c.json'])).toEqual({
      command: 'check',
      configPath: 'c.json',
      debug: true,
    });
    expect(parseCliArgs(['read', '--catalog', 'k.json', '--config', 'c.json', '--state', 's.json'])).toEqual({
      command: 'read',
      configPath: 'c.json',
      catalogPath: 'k.json',
      statePath: 's.json',
      debug: false,
      quiet: false,
    });
    expect(parseCliArgs(['read', '--config=c.json', '--catalog', 'k.json', '--quiet'])).toMatchObject({
      configPath: 'c.json',
      quiet: true,
    });
    expect(parseCliArgs(['--help'])).toEqual({ command: 'help' });
    expect(parseCliArgs(['read', '-h'])).toEqual({ command: 'help' });
    expect(parseCliArgs(['--version'])).toEqual({ command: 'version' });
    expect(parseCliArgs(['state-from-messages'])).toEqual({
      command: 'state-from-messages',
      messagesPath: undefined,
      statePath: undefined,
      catalogPath: undefined,
      retry: false,
      debug: false,
    });
    expect(
      parseCliArgs([
        'state-from-messages',
        '--messages',
        'o.jsonl',
        '--state',
        's.json',
        '--catalog',
        'k.json',
        '--retry',
      ]),
    ).toEqual({
      command: 'state-from-messages',
      messagesPath: 'o.jsonl',
      statePath: 's.json',
      catalogPath: 'k.json',
      retry: true,
      debug: false,
    });
  });

  it.each([
    [[]],
    [['read', '--config', 'c.json']],
    [['discover']],
    [['check', '--config']],
    [['spec', '--config', 'c.json']],
    [['check', '--config', 'c.json', '--verbose']],
    [['write', '--config', 'c.json']],
    [['spec', 'check']],
    [['state-from-messages', '--config', 'c.json']],
    [['read', '--config', 'c.json', '--catalog', 'k.json', '--messages', 'm']],
    [['read', '--config', 'c.json', '--catalog', 'k.json', '--retry']],
    [['spec', '--debug=true']],
    [['check', '--config', '--debug']],
    [['-x', 'spec']],
  ])('rejects %j with a CliUsageError', (argv) => {
    let caught: unknown;
    try {
      parseCliArgs(argv);
    } catch (error) {
      caught = error;
    }
    expect(CliUsageError.isInstance(caught)).toBe(true);
  });
});
