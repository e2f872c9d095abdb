import { types } from 'pg';
import { parseExactJson } from './exact-json';

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
const INT8_ARRAY_OID = 1016;
const JSON_OIDS = new Set([114, 3802]); // json, jsonb
const JSON_ARRAY_OIDS = new Set([199, 3807]); // json[], jsonb[]

/**
 * The one rule for every integer this source returns (int2/int4/int8, their array elements, and
 * integers inside json/jsonb): a `number` when it is a safe integer (|n| <= 2^53 - 1), otherwise a
 * `bigint`, which every `@sdk/datasource` sink writes as an exact JSON integer.
 */
export function parseInt8(text: string): number | bigint {
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : BigInt(text);
}

function keepText(text: string): string {
  return text;
}

type ArrayParser =
  | ((source: string, transform: (entry: string) => unknown) => unknown[])
  | { create(source: string, transform: (entry: string) => unknown): { parse(): unknown[] } };

// pg's array parser (NULL elements stay null); @types/pg types it as a function, pg-types 2 exports
// an object with create().
const arrayParser = types.arrayParser as unknown as ArrayParser;

function arrayOf(transform: (text: string) => unknown): (text: string) => unknown {
  return (text) =>
    typeof arrayParser === 'function'
      ? arrayParser(text, transform)
      : arrayParser.create(text, transform).parse();
}

const parseInt8Array = arrayOf(parseInt8);
const parseJsonArray = arrayOf(parseExactJson);

/** The `types` option given to every `pg` client of this source. */
export const SOURCE_TYPE_PARSERS = {
  getTypeParser(oid: number, format?: string): (text: string) => unknown {
    if (format === undefined || format === 'text') {
      if (oid === INT8_OID) return parseInt8;
      if (oid === INT8_ARRAY_OID) return parseInt8Array;
      if (JSON_OIDS.has(oid)) return parseExactJson;
      if (JSON_ARRAY_OIDS.has(oid)) return parseJsonArray;
      if (RAW_TEXT_TYPE_OIDS.has(oid)) return keepText;
    }
    return types.getTypeParser(oid, (format ?? 'text') as 'text');
  },
};
