// The workspace build for people watching (pnpm demo): one line per finished turbo task, and on a
// terminal a live line with the tasks done and the time spent, instead of minutes of silence.
import { spawn } from 'node:child_process';
import { root, toolEnv } from './workspace.mjs';

const ESC = '\x1b';

function clock(ms) {
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/**
 * Builds every package with turbo (which replays what has not changed) and resolves once it is done;
 * exits the process with turbo's code if the build fails, after printing turbo's whole output. Turbo's
 * `grouped` log order prints a task's block when the task ends, so its first line marks the end.
 * Progress goes to stderr; `NO_COLOR` (non-empty) turns the colour of the live line off.
 */
export async function buildWorkspaceShowingProgress() {
  const stream = process.stderr;
  const live = stream.isTTY === true;
  // NO_COLOR is read at run time by a root script, not by a cached turbo task.
  const { NO_COLOR: noColor } = process.env;
  const color = live && !noColor;
  const started = performance.now();
  let done = 0;
  let cached = 0;
  let drawn = false;
  const output = [];

  const status = () => {
    // No total: turbo's "Running build in N packages" counts packages that have no build script too.
    const text = `building: ${done} tasks done (${cached} from cache), ${clock(performance.now() - started)} elapsed`;
    return color ? `${ESC}[1mbuilding:${ESC}[22m${text.slice('building:'.length)}` : text;
  };
  const draw = () => {
    if (!live) return;
    stream.write(`\r${status()}${ESC}[K`);
    drawn = true;
  };
  const say = (line) => {
    if (drawn) stream.write(`\r${ESC}[K`);
    drawn = false;
    stream.write(`${line}\n`);
    draw();
  };

  const child = spawn(
    'pnpm',
    ['exec', 'turbo', 'run', 'build', '--output-logs=new-only', '--log-order=grouped'],
    { cwd: root, env: toolEnv, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const ticker = setInterval(draw, 1000);
  let pending = '';
  const onData = (chunk) => {
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      output.push(line);
      const task = /^(\S+):(\S+): cache (hit|miss|bypass)/.exec(line);
      if (task === null) continue;
      const [, name, script, outcome] = task;
      done += 1;
      if (outcome === 'hit') cached += 1;
      const how = outcome === 'hit' ? 'from cache' : 'built';
      say(`  [${clock(performance.now() - started)}] ${name} ${script}: ${how}`);
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const code = await new Promise((resolve) => {
    child.on('error', () => resolve(1));
    child.on('close', (status) => resolve(status ?? 1));
  });
  clearInterval(ticker);
  if (pending !== '') output.push(pending);
  if (drawn) stream.write(`\r${ESC}[K`);
  if (code !== 0) {
    stream.write(`${output.join('\n')}\n`);
    process.exit(code);
  }
  stream.write(
    `built: ${done} tasks (${cached} from cache) in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  );
}
