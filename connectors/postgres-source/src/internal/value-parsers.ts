import { types } from 'pg';

// Date and time types, intervals and bytea (and their arrays) stay in PostgreSQL's own text form:
// pg would turn timestamps without time zone into local-time Dates (wrong on any machine not on UTC),
// drop microseconds, and give Buffers that JSON turns into arrays of bytes.
const RAW_TEXT_TYPE_OIDS = new Set([
  17, // bytea
  1082, // date
  1083, // time
  1114, // timestamp
  1184, // timestamptz
  1186, // interval
  1266, // timetz
  1001, // bytea[]
  1182, // date[]
  1115, // timestamp[]
  1185, // timestamptz[]
  1187, // interval[]
]);

const INT8_OID = 20;

function parseInt8(text: string): number | string {
  const value = Number(text);
  // Larger values stay exact as strings; JSON numbers cannot carry them.
  return Number.isSafeInteger(value) ? value : text;
}

function keepText(text: string): string {
  return text;
}

/** The `types` option given to every `pg` client of this source. */
export const SOURCE_TYPE_PARSERS = {
  getTypeParser(oid: number, format?: string): (text: string) => unknown {
    if (format === undefined || format === 'text') {
      if (oid === INT8_OID) return parseInt8;
      if (RAW_TEXT_TYPE_OIDS.has(oid)) return keepText;
    }
    return types.getTypeParser(oid, (format ?? 'text') as 'text');
  },
};
