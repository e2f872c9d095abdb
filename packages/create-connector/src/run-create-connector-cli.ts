import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CONNECTOR_ENGINES } from './connector-engines';
import { CONNECTOR_KIND_NAMES, CONNECTOR_KINDS } from './connector-kinds';
import { CreateConnectorError } from './errors/create-connector-error';
import { UsageError } from './errors/usage-error';
import { generateConnector } from './generate-connector';
import { nextStepsHeading } from './internal/next-steps-heading';
import { PACKAGE_ROOT } from './internal/package-root';
import { parseCommandLine } from './internal/parse-command-line';

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
  /** `--version` was given; absent otherwise. */
  readonly version?: true;
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
    '  --version                  print the version',
    '',
    '<name> is lowercase kebab-case, e.g. acme-orders.',
    '',
  ].join('\n');
}

/**
 * Parses `<name> --kind <kind> [--engines <list>]` (also `--kind=<kind>`, `--engines=<list>`),
 * `--help`/`-h` and `--version` with Node's `util.parseArgs` (strict). A `--` (which `npm create`
 * passes on) is ignored. The engine names are checked against the kind when generating.
 *
 * @throws UsageError (`CREATE_CONNECTOR_USAGE`) for an unknown flag, a flag without its value, or more
 * than one name.
 */
export function parseCreateConnectorArgs(argv: readonly string[]): CreateConnectorArgs {
  const parsed = parseCommandLine(
    argv.filter((arg) => arg !== '--'),
    { kind: { type: 'string' }, engines: { type: 'string' } },
  );
  const [name, other] = parsed.positionals;
  if (other !== undefined) throw new UsageError(`one name only, got ${name} and ${other}`);
  const { kind, engines } = parsed.values as { kind?: string; engines?: string };
  const args: CreateConnectorArgs = {
    name,
    kind,
    help: parsed.help,
    ...(parsed.version ? { version: true } : {}),
  };
  return engines === undefined ? args : { ...args, engines };
}

/** This package's version, from its package.json. */
function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}

/** Exit code of bad input (usage, name, kind, existing directory). */
const USAGE_EXIT_CODE = 2;

/**
 * Runs the `create-connector` command line and resolves its exit code: 0 done (or `--help`,
 * `--version`), 2 bad input (usage, name, kind, existing directory; one
 * `create-connector: [CODE] message; see 'create-connector --help'` line on stderr, no stack),
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
    if (args.version === true) {
      stdout.write(`${packageVersion()}\n`);
      return 0;
    }
    if (args.name === undefined) throw new UsageError('missing <name>');
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
      if (error.code === 'CREATE_CONNECTOR_TEMPLATE') {
        stderr.write(`${error.message}\n`);
        return 1;
      }
      // Bad input: one line, as every @sdk bin prints it.
      stderr.write(`create-connector: ${error.message}; see 'create-connector --help'\n`);
      return USAGE_EXIT_CODE;
    }
    stderr.write(
      `create-connector failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return 1;
  }
}
