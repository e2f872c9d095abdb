import {
  type DataType,
  type Dictionary,
  type Field,
  type FixedSizeList,
  Type,
  type Union,
  UnionMode,
} from 'apache-arrow';
import type { FieldNode, RecordBatch as RecordBatchHeader } from 'apache-arrow/ipc/metadata/message';

/**
 * Structural checks of one record batch (or dictionary batch data) header against the schema, on the
 * raw values of the metadata, before any body is read. Arrow JS's loader clamps negative lengths and
 * null counts to 0 and looks dictionaries up without checking they exist, so a batch declaring -1 rows
 * would load as an empty batch, and a column whose dictionary never came would load as all nulls;
 * these checks see the values as written. Per field node (in Arrow's depth-first order): length and
 * null count are integers >= 0 with nullCount <= length (Null and Union columns, which have no
 * validity bitmap, only for the length); a top-level column has exactly the batch's
 * length; a struct's (or sparse union's) children are at least as long as it; a fixed-size list's
 * child holds `listSize` values per list; every dictionary-encoded column's dictionary has arrived.
 * Linear in the number of field nodes. Returns a description of the first problem, or undefined.
 */
export function findBatchHeaderProblem(
  header: RecordBatchHeader,
  fields: readonly Field[],
  hasDictionary: (id: number) => boolean,
): string | undefined {
  if (!isCount(header.length)) return `it declares an invalid row count ${String(header.length)}`;
  const walk = new NodeWalk(header.nodes, hasDictionary);
  for (const field of fields) {
    const problem = walk.visit(field.type, field.name, header.length, 'exact');
    if (problem !== undefined) return problem;
  }
  return undefined;
}

type LengthRule = 'exact' | 'at-least';

class NodeWalk {
  private nextNode = 0;

  constructor(
    private readonly nodes: readonly FieldNode[],
    private readonly hasDictionary: (id: number) => boolean,
  ) {}

  visit(type: DataType, path: string, expectedLength: number, rule: LengthRule): string | undefined {
    const node = this.nodes[this.nextNode];
    if (node === undefined) {
      return `it has ${this.nodes.length} field node(s), fewer than the schema needs (none left for column '${path}')`;
    }
    this.nextNode += 1;
    const { length, nullCount } = node;
    if (!isCount(length)) return `column '${path}' declares an invalid length ${String(length)}`;
    // Null and Union columns have no validity bitmap; Arrow's readers ignore their null count (and
    // Arrow JS's writer puts -1, or the children's sum, there).
    if (type.typeId !== Type.Null && type.typeId !== Type.Union) {
      if (!isCount(nullCount)) return `column '${path}' declares an invalid null count ${String(nullCount)}`;
      if (nullCount > length) return `column '${path}' declares ${nullCount} nulls in ${length} values`;
    }
    if (rule === 'exact' && length !== expectedLength) {
      return `column '${path}' has ${length} values but the batch has ${expectedLength} rows`;
    }
    if (rule === 'at-least' && length < expectedLength) {
      return `column '${path}' has ${length} values, fewer than the ${expectedLength} its parent needs`;
    }
    switch (type.typeId) {
      case Type.Dictionary: {
        const id = (type as Dictionary).id;
        return this.hasDictionary(id)
          ? undefined
          : `column '${path}' is dictionary-encoded with dictionary id ${id}, but no dictionary batch with that id came before this batch`;
      }
      case Type.Struct:
        return this.visitChildren(type, path, length);
      case Type.Union:
        return this.visitChildren(type, path, (type as Union).mode === UnionMode.Sparse ? length : 0);
      case Type.FixedSizeList:
        return this.visitChildren(type, path, length * (type as FixedSizeList).listSize);
      case Type.List:
      case Type.LargeList:
      case Type.Map:
        // How many child values a list needs depends on its offsets, checked once the body is read.
        return this.visitChildren(type, path, 0);
      default:
        return undefined;
    }
  }

  private visitChildren(type: DataType, path: string, minimumLength: number): string | undefined {
    const children = type.children ?? [];
    for (let index = 0; index < children.length; index += 1) {
      const child = children[index]!;
      const childPath = type.typeId === Type.Struct ? `${path}.${child.name}` : `${path}[]`;
      const problem = this.visit(child.type, childPath, minimumLength, 'at-least');
      if (problem !== undefined) return problem;
    }
    return undefined;
  }
}

function isCount(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0;
}
