import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const packageDir = join(__dirname, '..', '..');
/** src/ compiled by the jest global setup (jest.global-setup.js). */
export const transpiledDir = join(packageDir, 'node_modules', '.cache', 'compiled-src');
export const packageEntry = join(transpiledDir, 'index.js');
export const binPath = join(transpiledDir, 'bin', 'sdk-datasource-run.js');
export const countingSourcePath = join(packageDir, 'src', '__fixtures__', 'counting-source.js');

/** How a child process ended, with everything it printed. */
export interface Finished {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Starts `node <args>` with the transpiled package as the fixtures' entry point. */
export function startNode(args: readonly string[]): { child: ChildProcess; finished: Promise<Finished> } {
  const child = spawn(process.execPath, [...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DATASOURCE_PACKAGE_ENTRY: packageEntry },
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const finished = new Promise<Finished>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, finished };
}

/** Starts the runner CLI on the counting source. */
export function startRunner(args: readonly string[]): { child: ChildProcess; finished: Promise<Finished> } {
  return startNode([binPath, countingSourcePath, ...args]);
}
