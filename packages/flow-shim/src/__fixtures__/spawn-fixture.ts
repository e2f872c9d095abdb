import path from 'node:path';

// The workspace's shared test tool that lets a child process run TypeScript sources.
const tsRegister = path.join(__dirname, '..', '..', '..', '..', 'scripts', 'ts-register.js');

/** Command and args that run a TypeScript fixture (or plain JS) of this folder as a child process. */
export function fixtureCommand(
  fileName: string,
  extraArgs: string[] = [],
): { command: string; args: string[] } {
  const file = path.join(__dirname, fileName);
  const args = fileName.endsWith('.ts') ? ['-r', tsRegister, file] : [file];
  return { command: process.execPath, args: [...args, ...extraArgs] };
}
