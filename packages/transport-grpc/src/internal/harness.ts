import { readFile } from 'node:fs/promises';
import type { Table } from 'apache-arrow';
import { type GrpcCarrier, resolveGrpcCarrier } from '../grpc-carrier.js';
import { launchPlugin } from '../launch-plugin.js';
import type { UpdateMode } from '../plugin-environment.js';
import { type ConnectionInput, runPlugin } from '../run-plugin.js';
import { readInputTable, writeOutputTables } from './file-formats.js';
import { CommandLineError, parseCommandLine } from './parse-command-line.js';
import { ProgressLine, type ProgressLineStream } from './progress-line.js';

/** Where the harness writes and how it launches; tests replace these. */
export interface HarnessIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Node options for the plugin process (tests pass a TypeScript loader). */
  nodeArgs?: readonly string[];
  /** What `--version` prints. Defaults to `unknown`. */
  version?: string;
  /**
   * Where the progress line goes: a live line when it is a terminal, else a line every 5 s, and a
   * summary; none with `--quiet`. Defaults to none.
   */
  progress?: ProgressLineStream;
}

/** Exit code of a command line that cannot run (unknown option, missing or bad value). */
const USAGE_EXIT_CODE = 2;

export const harnessUsage = `usage: sdk-run-plugin <plugin-module> [options]
  --export <name>             export holding the plugin class (default: default export, else the only class)
  --input <file>[@Anchor[#conn]]   .arrow/.arrows (Arrow IPC), .csv or .jsonl; repeatable
                              (default anchor Input; connections #1, #2, ... per anchor)
  --output <file>[@Anchor]    .arrow (IPC file), .arrows (IPC stream) or .jsonl; repeatable (default anchor Output)
  --anchor <name>             declare an outgoing anchor without writing it to a file; repeatable
  --config <file.xml>         tool configuration XML (default <Configuration />)
  --update-mode run|full|quick
  --timeout-ms <n>            fail the run after n ms (default: none)
  --carrier http2|grpc-js     gRPC implementation of both processes (default http2)
  --node-arg <option>         a Node option for the plugin process, e.g. --node-arg --no-concurrent-marking
                              or --node-arg --max-old-space-size=512; repeatable (default: none)
  --quiet                     no progress on stderr (by default a live line on a terminal: rows sent
                              of all input rows, rows received, rate, elapsed, ETA; else a line every 5 s)
  -h, --help                  this help
  --version                   the package version

Exit codes: 0 done, 1 the run failed, 2 a bad command line (one line on stderr naming the option).`;

interface ParsedArgs {
  modulePath: string;
  exportName?: string;
  inputs: Array<{ path: string; anchor: string; connection?: string }>;
  outputs: Array<{ path: string; anchor: string }>;
  extraAnchors: string[];
  configPath?: string;
  updateMode: UpdateMode;
  timeoutMs?: number;
  carrier?: GrpcCarrier;
  nodeArgs: string[];
  quiet: boolean;
}

function splitTarget(
  spec: string,
  defaultAnchor: string,
): { path: string; anchor: string; connection?: string } {
  const at = spec.lastIndexOf('@');
  if (at <= 0) return { path: spec, anchor: defaultAnchor };
  const target = spec.slice(at + 1);
  const hash = target.indexOf('#');
  return hash < 0
    ? { path: spec.slice(0, at), anchor: target }
    : { path: spec.slice(0, at), anchor: target.slice(0, hash), connection: target.slice(hash) };
}

const OPTIONS = {
  export: { type: 'string' },
  input: { type: 'string', multiple: true },
  output: { type: 'string', multiple: true },
  anchor: { type: 'string', multiple: true },
  config: { type: 'string' },
  'update-mode': { type: 'string' },
  'timeout-ms': { type: 'string' },
  carrier: { type: 'string' },
  'node-arg': { type: 'string', multiple: true },
  quiet: { type: 'boolean' },
} as const;

function parseArgs(argv: readonly string[]): ParsedArgs | 'help' | 'version' {
  // A Node option handed to the plugin starts with dashes itself: `--node-arg --inspect`.
  const parsed = parseCommandLine(argv, OPTIONS, ['node-arg']);
  if (parsed.help) return 'help';
  if (parsed.version) return 'version';
  const values = parsed.values as {
    export?: string;
    input?: string[];
    output?: string[];
    anchor?: string[];
    config?: string;
    'update-mode'?: string;
    'timeout-ms'?: string;
    carrier?: string;
    'node-arg'?: string[];
    quiet?: boolean;
  };
  const [modulePath, ...extra] = parsed.positionals;
  if (modulePath === undefined) throw new CommandLineError('the plugin module is missing');
  if (extra.length > 0) throw new CommandLineError(`unexpected argument '${extra[0]}'`);
  const updateMode = values['update-mode'] ?? 'run';
  if (updateMode !== 'run' && updateMode !== 'full' && updateMode !== 'quick') {
    throw new CommandLineError(`--update-mode must be run, full or quick, got '${updateMode}'`);
  }
  let timeoutMs: number | undefined;
  if (values['timeout-ms'] !== undefined) {
    timeoutMs = Number(values['timeout-ms']);
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0)
      throw new CommandLineError(`--timeout-ms must be a positive number, got '${values['timeout-ms']}'`);
  }
  let carrier: GrpcCarrier | undefined;
  if (values.carrier !== undefined) {
    try {
      carrier = resolveGrpcCarrier(values.carrier, '--carrier');
    } catch (error) {
      throw new CommandLineError(
        error instanceof Error ? error.message.replace(/^\[[A-Z_]+\] /, '') : String(error),
        {
          cause: error,
        },
      );
    }
  }
  return {
    modulePath,
    exportName: values.export,
    inputs: (values.input ?? []).map((spec) => splitTarget(spec, 'Input')),
    outputs: (values.output ?? []).map((spec) => splitTarget(spec, 'Output')),
    extraAnchors: values.anchor ?? [],
    configPath: values.config,
    updateMode,
    timeoutMs,
    carrier,
    nodeArgs: values['node-arg'] ?? [],
    quiet: values.quiet === true,
  };
}

/** Yields the tables of a connection, counting their rows as they go out. */
async function* counted(tables: readonly Table[], count: (rows: number) => void): AsyncGenerator<Table> {
  for (const table of tables) {
    yield table;
    count(table.numRows);
  }
}

/**
 * The command-line harness: launches the plugin module as the engine would, feeds it files, writes
 * what comes out, prints the plugin's messages on stderr and a summary on stdout. Returns the exit code.
 */
export async function runHarness(argv: readonly string[], io: HarnessIo): Promise<number> {
  let plugin: Awaited<ReturnType<typeof launchPlugin>> | undefined;
  let progress: ProgressLine | undefined;
  // The plugin's messages go above the live line, never through it.
  const say = (line: string) => {
    if (progress === undefined) io.stderr(`${line}\n`);
    else progress.log(line);
  };
  try {
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs(argv);
    } catch (error) {
      if (!(error instanceof CommandLineError)) throw error;
      io.stderr(`sdk-run-plugin: ${error.message}; see 'sdk-run-plugin --help'\n`);
      return USAGE_EXIT_CODE;
    }
    if (parsed === 'help') {
      io.stdout(`${harnessUsage}\n`);
      return 0;
    }
    if (parsed === 'version') {
      io.stdout(`${io.version ?? 'unknown'}\n`);
      return 0;
    }
    const args = parsed;
    const inputs: Record<string, Record<string, Table[]>> = {};
    for (const input of args.inputs) {
      const connections = inputs[input.anchor] ?? {};
      inputs[input.anchor] = connections;
      const connection = input.connection ?? `#${Object.keys(connections).length + 1}`;
      const tables = connections[connection] ?? [];
      connections[connection] = tables;
      tables.push(await readInputTable(input.path));
    }
    const outgoing = [...new Set([...args.outputs.map((output) => output.anchor), ...args.extraAnchors])];
    if (outgoing.length === 0) outgoing.push('Output');
    const configXml = args.configPath !== undefined ? await readFile(args.configPath, 'utf8') : undefined;
    plugin = await launchPlugin({
      modulePath: args.modulePath,
      exportName: args.exportName,
      nodeArgs: [...(io.nodeArgs ?? []), ...args.nodeArgs],
      carrier: args.carrier,
      onStderr: (line) => say(`[plugin stderr] ${line}`),
    });
    // Rows sent of all input rows (the ETA) when there is input; else the rows received.
    const inputRows = Object.values(inputs)
      .flatMap((connections) => Object.values(connections).flat())
      .reduce((sum, table) => sum + table.numRows, 0);
    let rowsSent = 0;
    let rowsReceived = 0;
    const showProgress = () =>
      progress?.update(inputRows > 0 ? { records: rowsSent, total: inputRows } : { records: rowsReceived });
    const sending: Record<string, Record<string, ConnectionInput>> = {};
    for (const [anchor, connections] of Object.entries(inputs)) {
      sending[anchor] = {};
      for (const [connection, tables] of Object.entries(connections)) {
        (sending[anchor] as Record<string, ConnectionInput>)[connection] = counted(tables, (rows) => {
          rowsSent += rows;
          showProgress();
        });
      }
    }
    if (io.progress !== undefined)
      progress = new ProgressLine({ stream: io.progress, label: 'sdk-run-plugin', quiet: args.quiet });
    const outputs = new Map<string, Table[]>();
    const started = performance.now();
    await runPlugin(plugin, {
      inputs: sending,
      outgoingAnchors: outgoing.map((name) => ({ name })),
      configXml,
      updateMode: args.updateMode,
      timeoutMs: args.timeoutMs,
      onMessage: (message) => say(`[${message.kind}] ${message.message}`),
      onOutput: (output) => {
        const tables = outputs.get(output.anchorName) ?? [];
        tables.push(output.table);
        outputs.set(output.anchorName, tables);
        rowsReceived += output.table.numRows;
        showProgress();
      },
    });
    const elapsedMs = performance.now() - started;
    progress?.finish('done');
    for (const output of args.outputs) {
      await writeOutputTables(output.path, outputs.get(output.anchor) ?? []);
    }
    for (const anchor of outgoing) {
      const tables = outputs.get(anchor) ?? [];
      const rows = tables.reduce((sum, table) => sum + table.numRows, 0);
      io.stdout(`${anchor}: ${rows} rows in ${tables.length} writes\n`);
    }
    io.stdout(`completed in ${elapsedMs.toFixed(0)} ms\n`);
    return 0;
  } catch (error) {
    progress?.finish('failed');
    io.stderr(`${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    await plugin?.close();
  }
}
