import { spawn } from 'node:child_process';

/** What a command printed on its terminal (stderr, with `\n` as `\r\n`) and how it ended. */
export interface TerminalRun {
  code: number | null;
  terminal: string;
}

const quote = (arg: string) => `'${arg.replaceAll("'", "'\\''")}'`;

/**
 * Runs `command` in a real pseudo-terminal (util-linux `script`) with its stdout redirected to
 * `stdoutFile`, so what the terminal shows is its stderr alone.
 */
export function runInTerminal(
  command: readonly string[],
  stdoutFile: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<TerminalRun> {
  const line = `${command.map(quote).join(' ')} > ${quote(stdoutFile)}`;
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qfec', line, '/dev/null'], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env,
    });
    let terminal = '';
    child.stdout.on('data', (chunk: Buffer) => {
      terminal += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, terminal }));
  });
}
