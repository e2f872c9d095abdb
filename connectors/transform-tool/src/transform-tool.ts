import type { Anchor, PluginProvider, SdkPlugin } from '@sdk/transport-grpc';
import { type RecordBatch, type Schema, Table } from 'apache-arrow';
import {
  type CompiledTransform,
  compileTransform,
  type ParsedTransform,
  parseTransform,
} from './compile-transform';
import { TransformError } from './errors/transform-error';
import { parseToolConfig } from './tool-config';

function schemaKey(schema: Schema): string {
  return JSON.stringify(schema.fields.map((field) => [field.name, String(field.type), field.nullable]));
}

/**
 * The transform tool as an AMP-style plugin (`SdkPluginClass`): filters the rows of every incoming
 * table and appends formula columns, as configured by the tool config XML (see `parseToolConfig`).
 * Expressions are parsed in the constructor (syntax errors fail the run at once, in update-only mode
 * too) and type-checked against the first table of each schema before any of its rows is processed.
 * Output goes to the outgoing anchor `Output` (or the only outgoing anchor), declared with
 * `pushOutgoingMetadata` as soon as the first incoming schema is known; every connection's tables must
 * produce that same output schema. Each write is awaited, so a slow engine slows the tool (backpressure).
 */
export class TransformTool implements SdkPlugin {
  private readonly parsed: ParsedTransform;
  private readonly passThrough: boolean;
  private readonly outputAnchor: string;
  private readonly compiledBySchema = new Map<string, CompiledTransform>();
  private declaredOutput: { key: string; description: string } | undefined;
  private rowsIn = 0;
  private rowsOut = 0;
  /** Incoming connections the engine declared, and how many of them have completed. */
  private readonly connectionsDeclared: number;
  private connectionsCompleted = 0;

  constructor(private readonly provider: PluginProvider) {
    this.parsed = parseTransform(parseToolConfig(provider.toolConfigXml));
    this.passThrough = this.parsed.filter === undefined && this.parsed.formulas.length === 0;
    const anchors = Object.keys(provider.outgoingAnchors);
    const outputAnchor = anchors.includes('Output')
      ? 'Output'
      : anchors.length === 1
        ? anchors[0]
        : undefined;
    if (outputAnchor === undefined) {
      throw new TransformError(
        'TRANSFORM_CONFIG',
        `the tool needs an outgoing anchor named 'Output' (or exactly one), got: ${anchors.join(', ') || 'none'}`,
      );
    }
    this.outputAnchor = outputAnchor;
    this.connectionsDeclared = Object.values(provider.incomingAnchors).reduce(
      (sum, anchor) => sum + Object.keys(anchor.connections).length,
      0,
    );
  }

  private compiledFor(schema: Schema, anchor: Anchor): CompiledTransform | undefined {
    const key = schemaKey(schema);
    let compiled = this.compiledBySchema.get(key);
    if (compiled === undefined) {
      compiled = compileTransform(this.parsed, schema);
      this.compiledBySchema.set(key, compiled);
    }
    const outputSchema = this.passThrough ? schema : compiled.outputSchema;
    const outputKey = schemaKey(outputSchema);
    const description = `${anchor.name} ${anchor.connection}`;
    if (this.declaredOutput === undefined) {
      this.provider.pushOutgoingMetadata(this.outputAnchor, outputSchema);
      this.declaredOutput = { key: outputKey, description };
    } else if (this.declaredOutput.key !== outputKey) {
      throw new TransformError(
        'TRANSFORM_SCHEMA',
        `the table on ${description} has columns ${schemaKey(schema)}, which give a different output than the ` +
          `schema declared from ${this.declaredOutput.description}`,
      );
    }
    return this.passThrough ? undefined : compiled;
  }

  async onRecordBatch(table: Table, anchor: Anchor): Promise<void> {
    let output: Table | undefined;
    try {
      output = this.transform(table, anchor);
    } catch (error) {
      // Name the connection: with several, the engine cannot tell which one brought the bad table.
      if (!TransformError.isInstance(error)) throw error;
      throw new TransformError(
        error.code,
        `${error.message.replace(/^\[[A-Z_]+\] /, '')}\n(in a table on anchor '${anchor.name}', connection '${anchor.connection}')`,
        { cause: error, position: error.position },
      );
    }
    if (output === undefined || output.numRows === 0) return;
    this.rowsOut += output.numRows;
    await this.provider.writeToAnchor(this.outputAnchor, output);
  }

  /** The output table of one incoming table (the table itself in pass-through mode). */
  private transform(table: Table, anchor: Anchor): Table | undefined {
    const compiled = this.compiledFor(table.schema, anchor);
    this.rowsIn += table.numRows;
    if (compiled === undefined) return table;
    const batches: RecordBatch[] = [];
    for (const batch of table.batches) {
      const output = compiled.apply(batch);
      if (output.numRows > 0) batches.push(output);
    }
    return batches.length === 0 ? undefined : new Table(compiled.outputSchema, batches);
  }

  /**
   * Progress is the share of incoming connections completed, out of one more than were declared: the
   * last share is `onComplete`, which reports 1. Row counts are unknown in advance, connections are not.
   * The provider sends it only to engines that understand `update_progress`.
   */
  onIncomingConnectionComplete(): void {
    this.connectionsCompleted += 1;
    const steps = Math.max(this.connectionsDeclared, this.connectionsCompleted) + 1;
    this.provider.io.updateProgress(this.connectionsCompleted / steps);
  }

  onComplete(): void {
    this.provider.io.updateProgress(1);
    this.provider.io.info(`transform tool: ${this.rowsIn} rows in, ${this.rowsOut} rows out`);
  }
}
