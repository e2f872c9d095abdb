import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { type AirbyteMessage, assertValidAirbyteMessage } from '@sdk/stream-cdk';

// Written by the jest global setup (scripts/jest-transpile-sources.js): src/bin/http-api-source.ts, transpiled.
const entryPoint = join(
  __dirname,
  '..',
  '..',
  'node_modules',
  '.cache',
  'transpiled-src',
  'bin',
  'http-api-source.js',
);

/** What one CLI run printed and how it ended. */
export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Every complete stdout line, parsed and validated against the Airbyte protocol schema. */
  messages: AirbyteMessage[];
  stderr: string;
  /** True when `killWhen` fired and the process was sent SIGKILL. */
  killed: boolean;
}

/**
 * Runs the connector's real entry point (`src/bin/http-api-source.ts`, transpiled) in a child process. When
 * `killWhen` returns true for the messages received so far, the child gets SIGKILL at once, as a
 * crash or an evicted pod would, and only the lines already complete count.
 */
export function runCli(args: string[], killWhen?: (messages: AirbyteMessage[]) => boolean): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [entryPoint, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const messages: AirbyteMessage[] = [];
    let partial = '';
    let stderr = '';
    let killed = false;
    let failure: unknown;
    child.stdout.on('data', (chunk: Buffer) => {
      if (killed || failure !== undefined) return;
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      try {
        for (const line of lines) {
          const message = JSON.parse(line) as unknown;
          assertValidAirbyteMessage(message, `line ${messages.length}`);
          messages.push(message as AirbyteMessage);
          if (killWhen?.(messages)) {
            killed = true;
            child.kill('SIGKILL');
            return;
          }
        }
      } catch (error) {
        failure = error;
        child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (failure !== undefined) return reject(failure);
      if (!killed && partial !== '')
        return reject(new Error(`stdout ended inside a line: ${partial.slice(0, 200)}`));
      resolve({ code, signal, messages, stderr, killed });
    });
  });
}
