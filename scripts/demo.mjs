#!/usr/bin/env node
// `pnpm demo [filter]`: builds the workspace, then runs every demo step that a package or connector
// registers with `"sdkDemo": { "order": n, "title": "..." }` and a `demo` script, in order. A package
// with several steps gives a list, each step naming its script: `[{ "order": n, "title": "...",
// "script": "demo:x" }]`. A filter argument keeps only the steps whose package name or title contains it.
import { spawnSync } from 'node:child_process';
import { relative } from 'node:path';
import { buildWorkspaceShowingProgress } from './build-with-progress.mjs';
import { root, toolEnv, workspacePackages } from './workspace.mjs';

const filter = process.argv
  .slice(2)
  .find((arg) => !arg.startsWith('-'))
  ?.toLowerCase();
const steps = workspacePackages()
  .flatMap(({ dir, manifest }) =>
    [manifest.sdkDemo ?? []].flat().map((step) => ({ dir, manifest, step: { script: 'demo', ...step } })),
  )
  .filter(({ manifest, step }) => manifest.scripts?.[step.script])
  .filter(({ manifest, step }) => !filter || `${manifest.name} ${step.title}`.toLowerCase().includes(filter))
  .sort((a, b) => a.step.order - b.step.order);

if (steps.length === 0) {
  console.error(filter ? `No demo step matches '${filter}'.` : 'No package registers a demo step.');
  process.exit(1);
}

console.log('Building the workspace (turbo caches what has not changed)...');
await buildWorkspaceShowingProgress();

const outcomes = [];
for (const [position, { dir, manifest, step }] of steps.entries()) {
  const banner = `[${position + 1}/${steps.length}] ${step.title}`;
  console.log(`\n${banner}\n${'─'.repeat(Math.min(banner.length, 100))}  (${relative(root, dir)})`);
  const started = process.hrtime.bigint();
  const run = spawnSync('pnpm', ['run', '--silent', step.script], {
    cwd: dir,
    stdio: 'inherit',
    env: toolEnv,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  outcomes.push({ name: manifest.name, ok: run.status === 0, seconds });
  console.log(
    run.status === 0 ? `✔ done in ${seconds.toFixed(1)} s` : `✘ failed (exit ${run.status ?? run.signal})`,
  );
}

console.log('\nDemo summary:');
for (const { name, ok, seconds } of outcomes) {
  console.log(`  ${ok ? '✔' : '✘'} ${name.padEnd(30)} ${seconds.toFixed(1)} s`);
}
process.exit(outcomes.every(({ ok }) => ok) ? 0 : 1);
