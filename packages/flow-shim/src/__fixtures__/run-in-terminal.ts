// A copy of the same fixture in stream-cdk, transport-grpc, datasource and flow-shim (test files may not
// reach into another package; layers.json "twins" keeps the copies alike).
import { spawn } from 'node:child_process';

/** What a command printed on its terminal (stderr, with `\n` as `\r\n`) and how it ended. */
export interface TerminalRun {
  code: number | null;
  terminal: string;
}

const quote = (arg: string) => `'${arg.replaceAll("'", "'\\''")}'`;

/**
 * Runs `command` in a real pseudo-terminal (util-linux `script`), its stdout written to
 * `files.stdout` (and its stdin read from `files.stdin`, when given), so what the terminal shows is
 * its stderr alone.
 */
export function runInTerminal(
  command: readonly string[],
  files: { stdin?: string; stdout: string },
  env: NodeJS.ProcessEnv = process.env,
): Promise<TerminalRun> {
  const input = files.stdin === undefined ? '' : ` < ${quote(files.stdin)}`;
  const line = `${command.map(quote).join(' ')}${input} > ${quote(files.stdout)}`;
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
