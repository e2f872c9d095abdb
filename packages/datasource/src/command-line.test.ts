import { formatParamsHelp, parseParamsCommandLine } from './command-line';
import type { DataSourceConfig } from './data-source-config';
import { IncorrectParamError } from './errors/incorrect-param-error';

const CONFIG: DataSourceConfig = {
  title: 'Shop',
  params: [
    { name: 'host', title: 'Host', help: 'Database host', required: true, placeholder: 'db.example' },
    { name: 'port', type: 'number', default: 5432 },
    { name: 'password', type: 'password', default: 'hunter2' },
    { name: 'verbose', type: 'boolean' },
  ],
};

describe('parseParamsCommandLine', () => {
  it('reads --name value, --name=value, boolean switches and extra flags', () => {
    const parsed = parseParamsCommandLine(
      CONFIG,
      ['module.js', '--host', 'db', '--port=1', '--verbose', '--state-file', 's.json', '--dry'],
      { extraFlags: ['state-file'], extraSwitches: ['dry'] },
    );
    expect(parsed.params).toEqual({ host: 'db', port: '1', verbose: true });
    expect(parsed.extra).toEqual({ 'state-file': 's.json', dry: true });
    expect(parsed.positionals).toEqual(['module.js']);
    expect(parsed.help).toBe(false);
    expect(parseParamsCommandLine(CONFIG, ['--no-verbose', '-h']).params).toEqual({ verbose: false });
    expect(parseParamsCommandLine(CONFIG, ['--version'])).toMatchObject({ help: false, version: true });
    // Everything after `--` is an argument, not a flag.
    expect(parseParamsCommandLine(CONFIG, ['--', '--host']).positionals).toEqual(['--host']);
  });

  it('collects every value of a repeatable flag', () => {
    const parsed = parseParamsCommandLine(CONFIG, ['--option', 'a=1', '--host', 'h', '--option=b.c=2'], {
      repeatableFlags: ['option'],
    });
    expect(parsed.repeated).toEqual({ option: ['a=1', 'b.c=2'] });
    expect(parsed.extra).toEqual({});
    expect(parseParamsCommandLine(CONFIG, []).repeated).toEqual({});
  });

  it('rejects unknown flags and missing values, listing each', () => {
    try {
      parseParamsCommandLine(CONFIG, ['--hots', 'x', '--port']);
      throw new Error('expected a throw');
    } catch (error) {
      expect(IncorrectParamError.isInstance(error)).toBe(true);
      expect((error as IncorrectParamError).issues.map((issue) => issue.param)).toEqual(['hots', 'port']);
      expect((error as Error).message).toBe(
        '[DATASOURCE_INCORRECT_PARAM] invalid command line for Shop: --hots is not a parameter of this data source (see --help); --port needs a value',
      );
    }
  });

  it('refuses a value for a switch and a value that looks like a flag, never quoting it', () => {
    try {
      parseParamsCommandLine(CONFIG, ['--verbose=yes', '--password', '-secret-']);
      throw new Error('expected a throw');
    } catch (error) {
      expect((error as IncorrectParamError).issues).toEqual([
        { param: 'verbose', problem: 'takes no value' },
        { param: 'password', problem: "needs a value (one that starts with '-' goes as --password=VALUE)" },
      ]);
      expect((error as Error).message).not.toContain('-secret-');
    }
  });
});

describe('formatParamsHelp', () => {
  it('lists every parameter with its flag, notes and help, hiding secret defaults', () => {
    const help = formatParamsHelp(CONFIG, 'run shop.js [flags]');
    expect(help).toContain('Usage: run shop.js [flags]');
    expect(help).toContain('--host <db.example>  Host: Database host (required)');
    expect(help).toContain('--port <number>');
    expect(help).toContain('default 5432');
    expect(help).toContain('--verbose  ');
    expect(help).toContain('secret');
    expect(help).not.toContain('hunter2');
  });
});
