import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';

/**
 * The connector's module as `sdk-datasource-run` loads it: src/ transpiled by the jest global setup
 * (the workspace's scripts/jest-transpile-sources.js) into node_modules, where its imports resolve as
 * dist/'s do.
 */
export const compiledModulePath = join(
  __dirname,
  '..',
  '..',
  'node_modules',
  '.cache',
  'transpiled-src',
  'index.js',
);

/** The real entry point: @sdk/datasource's runner CLI. */
export const runnerBin = join(
  dirname(require.resolve('@sdk/datasource/package.json')),
  'dist',
  'bin',
  'sdk-datasource-run.js',
);

/** Starts `sdk-datasource-run <compiled module> ...args`. */
export function spawnRunner(args: readonly string[]): ChildProcess {
  return spawn(process.execPath, [runnerBin, compiledModulePath, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** What a finished runner process left. */
export interface RunnerResult {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Collects a spawned runner's output until it exits. */
export function waitForRunner(child: ChildProcess): Promise<RunnerResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (exitCode, signal) => resolve({ exitCode, signal, stdout, stderr }));
  });
}

/** Runs the runner CLI to completion. */
export function runRunner(args: readonly string[]): Promise<RunnerResult> {
  return waitForRunner(spawnRunner(args));
}
