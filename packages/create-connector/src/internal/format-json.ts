const LINE_WIDTH = 110;
const INDENT = '  ';

/**
 * JSON text laid out as the workspace's formatter (biome) lays out its own manifests: objects one key
 * per line, arrays of plain values on one line when it fits in 110 columns, a final newline. Generated
 * files then pass `biome check` without a formatting pass.
 */
export function formatJson(value: unknown): string {
  return `${formatValue(value, '', 0)}\n`;
}

function formatValue(value: unknown, indent: string, prefixLength: number): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const plain = value.every((item) => typeof item !== 'object' || item === null);
    const inline = `[${value.map((item) => JSON.stringify(item)).join(', ')}]`;
    // Objects in an array stay expanded, as biome keeps them once written over several lines.
    if (plain && indent.length + prefixLength + inline.length + 1 <= LINE_WIDTH) return inline;
    const inner = indent + INDENT;
    return `[\n${value.map((item) => inner + formatValue(item, inner, 0)).join(',\n')}\n${indent}]`;
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    const inner = indent + INDENT;
    const lines = entries.map(([key, item]) => {
      const prefix = `${JSON.stringify(key)}: `;
      return inner + prefix + formatValue(item, inner, prefix.length);
    });
    return `{\n${lines.join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}
