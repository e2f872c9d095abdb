import { relative } from 'node:path';
import { CONNECTOR_ENGINES } from './connector-engines';
import { CONNECTOR_KIND_NAMES, CONNECTOR_KINDS } from './connector-kinds';
import { CreateConnectorError } from './errors/create-connector-error';
import { UsageError } from './errors/usage-error';
import { generateConnector } from './generate-connector';
import { nextStepsHeading } from './internal/next-steps-heading';

/** A stream the command line writes to; `process.stdout` and `process.stderr` fit. */
export interface CliOutput {
  write(text: string): unknown;
}

/** Options of {@link runCreateConnectorCli}. */
export interface RunCreateConnectorCliOptions {
  /** Where the command runs. Defaults to `process.cwd()`. */
  cwd?: string;
  /** Progress and the summary. Defaults to `process.stdout`. */
  stdout?: CliOutput;
  /** Error messages. Defaults to `process.stderr`. */
  stderr?: CliOutput;
}

/** The parsed command line of `create-connector`. */
export interface CreateConnectorArgs {
  readonly name: string | undefined;
  readonly kind: string | undefined;
  /** The `--engines` list as given (comma-separated); undefined without the option. */
  readonly engines?: string;
  readonly help: boolean;
}

/** The `--help` text. */
export function createConnectorUsage(): string {
  const kinds = CONNECTOR_KINDS.map(
    (definition) => `  ${definition.kind.padEnd(11)} ${definition.description}`,
  );
  const engines = CONNECTOR_ENGINES.map(
    (definition) => `  ${definition.engine.padEnd(11)} ${definition.description}`,
  );
  return [
    'Usage: create-connector <name> --kind <kind> [--engines <engine,...>]',
    '',
    'Generates a connector on the @sdk packages. Inside the @sdk monorepo it goes to connectors/<name>',
    '(wired into the workspace); anywhere else to ./<name> (a standalone project).',
    '',
    'Kinds:',
    ...kinds,
    '',
    "Engines (--engines, for the stream and datasource kinds; the kind's own engine adds nothing):",
    ...engines,
    '',
    'Options:',
    '  --kind <kind>              what to generate (required)',
    '  --engines <engine,...>     also serve the connector to these engines, one bin each',
    '  -h, --help                 show this help',
    '',
    '<name> is lowercase kebab-case, e.g. acme-orders.',
    '',
  ].join('\n');
}

/**
 * Parses `<name> --kind <kind> [--engines <list>]` (also `--kind=<kind>`, `--engines=<list>`) and
 * `--help`/`-h`. The engine names are checked against the kind when generating.
 *
 * @throws UsageError (`CREATE_CONNECTOR_USAGE`) for an unknown flag, a flag without its value, or more
 * than one name.
 */
export function parseCreateConnectorArgs(argv: readonly string[]): CreateConnectorArgs {
  let name: string | undefined;
  let kind: string | undefined;
  let engines: string | undefined;
  let help = false;
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] as string;
    if (arg === '--help' || arg === '-h') help = true;
    else if (arg === '--kind') {
      const value = argv[index + 1];
      if (value === undefined || value.startsWith('-')) throw new UsageError('--kind needs a value');
      kind = value;
      index += 1;
    } else if (arg.startsWith('--kind=')) kind = arg.slice('--kind='.length);
    else if (arg === '--engines') {
      const value = argv[index + 1];
      if (value === undefined || value.startsWith('-')) throw new UsageError('--engines needs a value');
      engines = value;
      index += 1;
    } else if (arg.startsWith('--engines=')) engines = arg.slice('--engines='.length);
    else if (arg === '--') continue;
    else if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}; see --help`);
    else if (name !== undefined) throw new UsageError(`one name only, got ${name} and ${arg}`);
    else name = arg;
  }
  return engines === undefined ? { name, kind, help } : { name, kind, engines, help };
}

/**
 * Runs the `create-connector` command line and resolves its exit code: 0 done (or `--help`), 2 bad
 * input (usage, name, kind, existing directory; one `[CODE] message` line on stderr, no stack),
 * 1 anything else.
 */
export async function runCreateConnectorCli(
  argv: readonly string[],
  options: RunCreateConnectorCliOptions = {},
): Promise<number> {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  try {
    const args = parseCreateConnectorArgs(argv);
    if (args.help) {
      stdout.write(createConnectorUsage());
      return 0;
    }
    if (args.name === undefined) throw new UsageError('missing <name>; see --help');
    if (args.kind === undefined) {
      throw new UsageError(`missing --kind; use one of: ${CONNECTOR_KIND_NAMES.join(', ')}`);
    }
    const cwd = options.cwd ?? process.cwd();
    const generated = generateConnector({
      name: args.name,
      kind: args.kind,
      cwd,
      ...(args.engines === undefined ? {} : { engines: args.engines }),
    });
    const from = generated.workspaceRoot ?? generated.targetDir;
    const where = relative(cwd, generated.targetDir) || '.';
    stdout.write(
      [
        `Created ${generated.kind} connector ${generated.name} in ${where} (${generated.mode}, ${generated.files.length} files).`,
        ...(generated.engines.length === 0
          ? []
          : [
              `Also served to ${generated.engines.join(', ')}: bins ${generated.engines.map((engine) => `${generated.name}-${engine}`).join(', ')}.`,
            ]),
        '',
        nextStepsHeading(cwd, from),
        ...generated.nextSteps.map((step) => `  ${step}`),
        '',
      ].join('\n'),
    );
    return 0;
  } catch (error) {
    if (CreateConnectorError.isInstance(error)) {
      stderr.write(`${error.message}\n`);
      return error.code === 'CREATE_CONNECTOR_TEMPLATE' ? 1 : 2;
    }
    stderr.write(
      `create-connector failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return 1;
  }
}
