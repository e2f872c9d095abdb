import path from 'node:path';

/** Command and args that run a TypeScript fixture (or plain JS) of this folder as a child process. */
export function fixtureCommand(
  fileName: string,
  extraArgs: string[] = [],
): { command: string; args: string[] } {
  const file = path.join(__dirname, fileName);
  const args = fileName.endsWith('.ts') ? ['-r', path.join(__dirname, 'ts-register.js'), file] : [file];
  return { command: process.execPath, args: [...args, ...extraArgs] };
}
