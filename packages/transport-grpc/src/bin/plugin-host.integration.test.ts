import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// The workspace's shared test tool that lets a child process run TypeScript sources.
const tsRegister = join(__dirname, '..', '..', '..', '..', 'scripts', 'ts-register.js');
const run = (args: string[]) =>
  spawnSync(process.execPath, ['-r', tsRegister, join(__dirname, 'plugin-host.ts'), ...args], {
    encoding: 'utf8',
    timeout: 60_000,
  });

describe('sdk-plugin-host command line', () => {
  it('--help prints the usage and --version the version on stdout, exit 0', () => {
    const help = run(['--help']);
    expect([help.status, help.stderr]).toEqual([0, '']);
    expect(help.stdout).toContain('usage: sdk-plugin-host <plugin-module> [export-name]');
    const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));
    const version = run(['--version']);
    expect([version.status, version.stdout, version.stderr]).toEqual([0, `${manifest.version}\n`, '']);
  });

  it('no plugin module: exit 2 with one line; engine options alone are no module', () => {
    for (const args of [[], ['start-sdk-tool-service', '--sdk-engine-server-address', '127.0.0.1:1']]) {
      const result = run(args);
      expect(result.status).toBe(2);
      expect(result.stderr).toBe(
        "sdk-plugin-host: the plugin module is missing; see 'sdk-plugin-host --help'\n",
      );
    }
  });
});
