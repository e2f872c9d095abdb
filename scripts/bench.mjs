#!/usr/bin/env node
// `pnpm bench [--quick] [filter]`: builds, runs every package's benchmark one at a time (so they do not
// compete for the two cores), and gathers each package's bench-results/latest.json into one report:
// BENCHMARKS.md and bench-results.json at the root (full mode), or bench-results/quick/ (--quick, the
// smoke mode CI runs to keep benchmarks from rotting; its figures judge nothing).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, relative } from 'node:path';
import { buildWorkspaceOrExit, root, toolEnv, workspacePackages } from './workspace.mjs';

const quick = process.argv.includes('--quick');
const filter = process.argv.slice(2).find((arg) => !arg.startsWith('-'));
const benches = workspacePackages().filter(
  ({ manifest }) => manifest.scripts?.bench && (!filter || manifest.name.includes(filter)),
);
if (benches.length === 0) {
  console.error(filter ? `No benchmark matches '${filter}'.` : 'No package has a bench script.');
  process.exit(1);
}

// `--no-build`: the caller has just built everything (pnpm check runs this beside other work that reads
// dist/, which a build replayed from turbo's cache would rewrite under it).
if (!process.argv.includes('--no-build')) buildWorkspaceOrExit();

function readResults(dir, name) {
  const file = join(dir, 'bench-results', 'latest.json');
  if (!existsSync(file)) return { error: `${name} wrote no bench-results/latest.json` };
  const results = JSON.parse(readFileSync(file, 'utf8'));
  const figures = Array.isArray(results.figures) ? results.figures : [];
  const malformed = figures.find(
    (figure) => typeof figure.name !== 'string' || typeof figure.median !== 'number',
  );
  if (figures.length === 0 || malformed)
    return { error: `${name}: bench-results/latest.json has no well-formed figures` };
  return { results };
}

const report = [];
const failures = [];
for (const { dir, manifest } of benches) {
  console.log(`\n▶ ${manifest.name}${quick ? ' (quick)' : ''}`);
  rmSync(join(dir, 'bench-results', 'latest.json'), { force: true });
  const run = spawnSync('pnpm', ['run', '--silent', 'bench', ...(quick ? ['--quick'] : [])], {
    cwd: dir,
    stdio: 'inherit',
    env: toolEnv,
  });
  if (run.status !== 0) {
    failures.push(`${manifest.name}: benchmark exited ${run.status ?? run.signal}`);
    continue;
  }
  const { results, error } = readResults(dir, manifest.name);
  if (error) failures.push(error);
  else
    report.push({
      ...results,
      package: manifest.name,
      directory: relative(root, dir),
      measuredAt: new Date().toISOString(),
    });
}

// A filtered full run replaces only its packages' sections: the others keep the figures (and dates) of
// the run that measured them, so `pnpm bench <filter>` never erases the rest of BENCHMARKS.md.
const previousReport = join(root, 'bench-results.json');
if (filter && !quick && existsSync(previousReport)) {
  const measured = new Set(report.map((entry) => entry.package));
  const previous = JSON.parse(readFileSync(previousReport, 'utf8'));
  const kept = (previous.packages ?? [])
    .filter((entry) => !measured.has(entry.package))
    .map((entry) => ({ measuredAt: previous.date, ...entry }));
  report.push(...kept);
  report.sort((a, b) => a.package.localeCompare(b.package));
}

const format = (value) =>
  typeof value !== 'number'
    ? '—'
    : Math.abs(value) >= 100
      ? Math.round(value).toLocaleString('en-US')
      : value.toFixed(2);
const machine = {
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model ?? 'unknown',
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
};
const lines = [
  '# Benchmarks',
  '',
  `Written ${new Date().toISOString().slice(0, 10)} on ${machine.cpus} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB, Node ${machine.node}.`,
  'Each figure is the median of repeated runs, with min and max, next to its baseline measured in the same run.',
  `Reproduce everything with \`pnpm bench\`${quick ? ' (this report came from `--quick`, the smoke mode: its figures judge nothing)' : ''}.`,
  '',
];
for (const entry of report) {
  const measured = entry.measuredAt ? ` · measured ${entry.measuredAt.slice(0, 10)}` : '';
  lines.push(
    `## ${entry.package}`,
    '',
    `Command: \`${entry.command}\` · runs: ${entry.runs ?? '—'}${measured}`,
    '',
  );
  lines.push('| figure | median | min–max | baseline | baseline median | ratio | goal | met |');
  lines.push('|---|---|---|---|---|---|---|---|');
  for (const figure of entry.figures) {
    const baseline = figure.baseline;
    const met = figure.met === true ? 'yes' : figure.met === false ? '**no**' : '—';
    lines.push(
      `| ${figure.name} (${figure.unit ?? ''}) | ${format(figure.median)} | ${format(figure.min)}–${format(figure.max)} | ${baseline?.name ?? '—'} | ${format(baseline?.median)} | ${typeof figure.ratio === 'number' ? `${figure.ratio.toFixed(2)}x` : '—'} | ${figure.goal ?? '—'} | ${met} |`,
    );
  }
  lines.push('');
}
if (failures.length > 0) lines.push('## Failed', '', ...failures.map((failure) => `- ${failure}`), '');

const outputDir = quick ? join(root, 'bench-results', 'quick') : root;
mkdirSync(outputDir, { recursive: true });
writeFileSync(join(outputDir, 'BENCHMARKS.md'), `${lines.join('\n')}`);
writeFileSync(
  join(outputDir, 'bench-results.json'),
  `${JSON.stringify({ quick, machine, date: new Date().toISOString(), packages: report, failures }, null, 2)}\n`,
);
console.log(`\nWrote ${relative(root, join(outputDir, 'BENCHMARKS.md'))} and bench-results.json.`);
for (const failure of failures) console.error(`✘ ${failure}`);
process.exit(failures.length > 0 ? 1 : 0);
