import { readFile } from 'node:fs/promises';
import type { Table } from 'apache-arrow';
import { TransportError } from '../errors/transport-error.js';
import { type GrpcCarrier, resolveGrpcCarrier } from '../grpc-carrier.js';
import { launchPlugin } from '../launch-plugin.js';
import type { UpdateMode } from '../plugin-environment.js';
import { runPlugin } from '../run-plugin.js';
import { readInputTable, writeOutputTables } from './file-formats.js';

/** Where the harness writes and how it launches; tests replace these. */
export interface HarnessIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Node options for the plugin process (tests pass a TypeScript loader). */
  nodeArgs?: readonly string[];
}

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
                              or --node-arg --max-old-space-size=512; repeatable (default: none)`;

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

function parseArgs(argv: readonly string[]): ParsedArgs {
  const parsed: Partial<ParsedArgs> &
    Pick<ParsedArgs, 'inputs' | 'outputs' | 'extraAnchors' | 'updateMode' | 'nodeArgs'> = {
    inputs: [],
    outputs: [],
    extraAnchors: [],
    updateMode: 'run',
    nodeArgs: [],
  };
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] as string;
    const value = () => {
      const next = argv[index + 1];
      if (next === undefined)
        throw new TransportError('TRANSPORT_CONFIG', `${arg} needs a value\n${harnessUsage}`);
      index += 1;
      return next;
    };
    if (arg === '--export') parsed.exportName = value();
    else if (arg === '--input') parsed.inputs.push(splitTarget(value(), 'Input'));
    else if (arg === '--output') parsed.outputs.push(splitTarget(value(), 'Output'));
    else if (arg === '--anchor') parsed.extraAnchors.push(value());
    else if (arg === '--config') parsed.configPath = value();
    else if (arg === '--timeout-ms') parsed.timeoutMs = Number(value());
    else if (arg === '--carrier') parsed.carrier = resolveGrpcCarrier(value(), '--carrier');
    else if (arg === '--node-arg') parsed.nodeArgs.push(value());
    else if (arg === '--update-mode') {
      const mode = value();
      if (mode !== 'run' && mode !== 'full' && mode !== 'quick') {
        throw new TransportError(
          'TRANSPORT_CONFIG',
          `--update-mode must be run, full or quick, got '${mode}'`,
        );
      }
      parsed.updateMode = mode;
    } else if (arg.startsWith('--'))
      throw new TransportError('TRANSPORT_CONFIG', `unknown option ${arg}\n${harnessUsage}`);
    else if (parsed.modulePath === undefined) parsed.modulePath = arg;
    else throw new TransportError('TRANSPORT_CONFIG', `unexpected argument '${arg}'\n${harnessUsage}`);
  }
  if (parsed.modulePath === undefined) throw new TransportError('TRANSPORT_CONFIG', harnessUsage);
  return parsed as ParsedArgs;
}

/**
 * The command-line harness: launches the plugin module as the engine would, feeds it files, writes
 * what comes out, prints the plugin's messages on stderr and a summary on stdout. Returns the exit code.
 */
export async function runHarness(argv: readonly string[], io: HarnessIo): Promise<number> {
  let plugin: Awaited<ReturnType<typeof launchPlugin>> | undefined;
  try {
    const args = parseArgs(argv);
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
      onStderr: (line) => io.stderr(`[plugin stderr] ${line}\n`),
    });
    const started = performance.now();
    const result = await runPlugin(plugin, {
      inputs,
      outgoingAnchors: outgoing.map((name) => ({ name })),
      configXml,
      updateMode: args.updateMode,
      timeoutMs: args.timeoutMs,
      onMessage: (message) => io.stderr(`[${message.kind}] ${message.message}\n`),
    });
    const elapsedMs = performance.now() - started;
    for (const output of args.outputs) {
      await writeOutputTables(output.path, result.outputs.get(output.anchor) ?? []);
    }
    for (const anchor of outgoing) {
      const tables = result.outputs.get(anchor) ?? [];
      const rows = tables.reduce((sum, table) => sum + table.numRows, 0);
      io.stdout(`${anchor}: ${rows} rows in ${tables.length} writes\n`);
    }
    io.stdout(`completed in ${elapsedMs.toFixed(0)} ms\n`);
    return 0;
  } catch (error) {
    io.stderr(`${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    await plugin?.close();
  }
}
