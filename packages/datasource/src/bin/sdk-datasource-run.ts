#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { formatParamsHelp, parseParamsCommandLine } from '../command-line';
import { toDataSourceModule } from '../data-source-module';
import { DatasourceError } from '../errors/datasource-error';
import { IncorrectParamError } from '../errors/incorrect-param-error';
import type { ProgressMode } from '../runner/progress-reporter';
import { runDataSource } from '../runner/run-data-source';
import { mergeSourceOptions, parseOptionAssignments } from '../source-options';
import { createJsonLinesFileSink } from '../writer/json-lines-file-sink';
import type { NonFiniteNumbers } from '../writer/json-record-encoding';
import type { HttpDeduplicationMode } from '../writer/panoply-http-sink';
import { createPanoplySdk } from '../writer/panoply-writer';

const RUNNER_FLAGS = [
  'output',
  'state-file',
  'batch-size',
  'max-read-attempts',
  'retry-base-delay-ms',
  'progress',
  'params-json',
  'api-key',
  'api-secret',
  'endpoint-url',
  'table',
  'options-file',
  'non-finite-numbers',
  'deduplication',
  'message-group-id',
];

const REPEATABLE_FLAGS = ['option'];

const RUNNER_SWITCHES = ['quiet'];

const PROGRAM = 'sdk-datasource-run';

/** Exit code of a command line that cannot run (unknown flag, missing or bad value). */
const USAGE_EXIT_CODE = 2;

const RUNNER_HELP = `Runner flags:
  --output <file.jsonl>        append records as JSON lines (or use --api-key/--api-secret)
  --api-key <key> --api-secret <secret> [--endpoint-url <url>]
                               send records with the Panoply writer instead
  --state-file <file.json>     resume from and save the merged state after every batch
  --batch-size <n>             hint passed to read(n) (default 1000)
  --max-read-attempts <n>      read attempts per batch on retryable errors (default 4)
  --retry-base-delay-ms <ms>   first retry delay, doubled each time (default 1000)
  --progress <auto|bar|lines|none>
                               on stderr: auto (default) is a bar redrawn in place on a terminal
                               (records, bytes, rate, elapsed, ETA with a total), else lines
  --quiet                      no progress (--progress none); log lines still show
  -h, --help                   this help (with a module: its parameters too)
  --version                    the package version
  --params-json <json>         parameters as one JSON object (flags override it)
  --table <name>               table for records without __table (default: --destination, else --type)
  --option <key=value>         a source option (DataSource.options), repeatable; dots nest:
                               --option refresh.client_id=abc (secrets are masked in the log)
  --options-file <file.json>   source options as one JSON object (--option flags override it)
  --non-finite-numbers <python|error>
                               NaN/Infinity written as Python's json does (default), or refused
  --deduplication <attribute|fifo|none>
                               how the HTTP sink sends each batch's deduplication id (default attribute)
  --message-group-id <id>      MessageGroupId with --deduplication fifo (default sdk-datasource)`;

function integerFlag(value: string | true | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) {
    throw new IncorrectParamError(`--${name} must be a non-negative integer`, [
      { param: name, problem: 'must be a non-negative integer' },
    ]);
  }
  return number;
}

function textFlag(value: string | true | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function choiceFlag(
  value: string | true | undefined,
  name: string,
  choices: readonly string[],
): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !choices.includes(value)) {
    throw new IncorrectParamError(`--${name} must be ${choices.join(', ')}`, [
      { param: name, problem: `must be ${choices.join(', ')}` },
    ]);
  }
  return value;
}

// The file's values are never echoed: they may be secrets.
async function readOptionsFile(path: string | undefined): Promise<Record<string, unknown>> {
  if (path === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'not valid JSON';
    throw new IncorrectParamError(`--options-file ${path} cannot be read (${reason})`, [
      { param: 'options-file', problem: `cannot be read as JSON (${reason})` },
    ]);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new IncorrectParamError(`--options-file ${path} must hold a JSON object`, [
      { param: 'options-file', problem: 'must hold a JSON object' },
    ]);
  }
  return parsed as Record<string, unknown>;
}

/** This package's version, from the first package.json above this file that is the package's. */
function packageVersion(): string {
  for (let dir = __dirname; dirname(dir) !== dir; dir = dirname(dir)) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (manifest.name === '@sdk/datasource' && manifest.version !== undefined) return manifest.version;
    } catch {
      // No package.json here: look further up.
    }
  }
  return 'unknown';
}

async function main(argv: readonly string[]): Promise<number> {
  const modulePath = argv[0];
  const runnerFlags = {
    extraFlags: RUNNER_FLAGS,
    extraSwitches: RUNNER_SWITCHES,
    repeatableFlags: REPEATABLE_FLAGS,
  };
  if (modulePath === undefined || modulePath.startsWith('-')) {
    // No module yet: only the runner's own flags can be read (--help, --version, or a mistake).
    const parsed = parseParamsCommandLine({ title: PROGRAM, params: [] }, argv, runnerFlags);
    if (parsed.version) {
      console.log(packageVersion());
      return 0;
    }
    if (parsed.help) {
      console.log(`Usage: ${PROGRAM} <module-file> [runner flags] [--<param> <value>...]\n\n${RUNNER_HELP}`);
      return 0;
    }
    throw new IncorrectParamError('the first argument must be the data source module file', [
      { param: 'module-file', problem: 'is missing' },
    ]);
  }
  const module = toDataSourceModule(await import(pathToFileURL(resolve(modulePath)).href));
  const parsed = parseParamsCommandLine(module.CONFIG, argv.slice(1), runnerFlags);
  if (parsed.version) {
    console.log(packageVersion());
    return 0;
  }
  if (parsed.help) {
    console.log(`${formatParamsHelp(module.CONFIG, `${PROGRAM} ${modulePath} [flags]`)}\n\n${RUNNER_HELP}`);
    return 0;
  }
  const extra = parsed.extra;
  let params: Record<string, unknown> = {};
  const paramsJson = textFlag(extra['params-json']);
  if (paramsJson !== undefined) {
    try {
      params = JSON.parse(paramsJson) as Record<string, unknown>;
    } catch {
      throw new IncorrectParamError('--params-json is not valid JSON', [
        { param: 'params-json', problem: 'is not valid JSON' },
      ]);
    }
  }
  params = { ...params, ...parsed.params };
  const progress = extra.quiet === true ? 'none' : textFlag(extra.progress);
  if (progress !== undefined && !['auto', 'bar', 'lines', 'none'].includes(progress)) {
    throw new IncorrectParamError('--progress must be auto, bar, lines or none', [
      { param: 'progress', problem: 'must be auto, bar, lines or none' },
    ]);
  }
  const sourceOptions = mergeSourceOptions(
    await readOptionsFile(textFlag(extra['options-file'])),
    parseOptionAssignments(parsed.repeated.option ?? []),
  );
  const nonFiniteNumbers = choiceFlag(extra['non-finite-numbers'], 'non-finite-numbers', [
    'python',
    'error',
  ]) as NonFiniteNumbers | undefined;
  const deduplication = choiceFlag(extra.deduplication, 'deduplication', ['attribute', 'fifo', 'none']) as
    | HttpDeduplicationMode
    | undefined;
  const output = textFlag(extra.output);
  const apiKey = textFlag(extra['api-key']);
  const apiSecret = textFlag(extra['api-secret']);
  if ((output === undefined) === (apiKey === undefined || apiSecret === undefined)) {
    throw new IncorrectParamError('give either --output or both --api-key and --api-secret', [
      { param: 'output', problem: 'or --api-key and --api-secret is required (not both)' },
    ]);
  }
  const sink =
    output === undefined ? undefined : createJsonLinesFileSink({ filePath: output, nonFiniteNumbers });
  const writer =
    apiKey !== undefined && apiSecret !== undefined
      ? createPanoplySdk(apiKey, apiSecret, {
          endpointUrl: textFlag(extra['endpoint-url']),
          nonFiniteNumbers,
          deduplication,
          messageGroupId: textFlag(extra['message-group-id']),
        })
      : undefined;
  try {
    const summary = await runDataSource({
      module,
      params,
      sink,
      writer,
      defaultTable: textFlag(extra.table),
      stateFilePath: textFlag(extra['state-file']),
      batchSize: integerFlag(extra['batch-size'], 'batch-size'),
      maxReadAttempts: integerFlag(extra['max-read-attempts'], 'max-read-attempts'),
      retryBaseDelayMs: integerFlag(extra['retry-base-delay-ms'], 'retry-base-delay-ms'),
      progress: progress as ProgressMode | undefined,
      sourceOptions,
    });
    console.log(
      JSON.stringify({
        recordCount: summary.recordCount,
        batchCount: summary.batchCount,
        state: summary.state,
      }),
    );
    return 0;
  } finally {
    await sink?.close();
    await writer?.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // A bad command line is one line naming the flags (the message lists every problem; a source's own
    // checks name its parameters, which are the flags of the same names).
    if (IncorrectParamError.isInstance(error)) {
      const unnamed = error.issues
        .map((issue) => `--${issue.param}`)
        .filter((flag) => !error.message.includes(flag));
      const flags = unnamed.length > 0 ? ` (${unnamed.join(', ')})` : '';
      process.stderr.write(`${PROGRAM}: ${error.message}${flags}; see '${PROGRAM} --help'\n`);
      process.exitCode = USAGE_EXIT_CODE;
      return;
    }
    // Typed errors read well without the stack; anything else is a bug worth a stack trace.
    if (DatasourceError.isInstance(error)) {
      console.error(error.message);
      let cause: unknown = error.cause;
      while (cause instanceof Error) {
        console.error(`  caused by: ${cause.message}`);
        cause = cause.cause;
      }
      process.exitCode = 1;
    } else {
      console.error(error);
      process.exitCode = 1;
    }
  },
);
