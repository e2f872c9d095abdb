import { TransportError } from '../errors/transport-error.js';

/**
 * Parses RFC 4180 CSV: comma-separated, fields optionally in double quotes (`""` is a quote inside),
 * quoted fields may hold commas and line breaks, lines end in LF or CRLF. Returns the rows as arrays
 * of raw strings; a quote left open or stray text after a closing quote is a `TRANSPORT_INPUT_FORMAT`
 * error with the line number.
 */
export function parseCsv(text: string, sourceName = 'input'): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let inQuotes = false;
  let afterQuote = false;
  let line = 1;
  let quoteStartLine = 1;
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const endField = () => {
    row.push(field);
    field = '';
    afterQuote = false;
  };
  const endRow = () => {
    endField();
    rows.push(row);
    row = [];
  };
  for (let index = 0; index < input.length; index += 1) {
    const char = input[index] as string;
    if (inQuotes) {
      if (char === '"') {
        if (input[index + 1] === '"') {
          field += '"';
          index += 1;
        } else {
          inQuotes = false;
          afterQuote = true;
        }
      } else {
        if (char === '\n') line += 1;
        field += char;
      }
      continue;
    }
    if (char === ',') endField();
    else if (char === '\n' || char === '\r') {
      if (char === '\r' && input[index + 1] === '\n') index += 1;
      endRow();
      line += 1;
    } else if (afterQuote) {
      throw new TransportError(
        'TRANSPORT_INPUT_FORMAT',
        `${sourceName}: line ${line}: text after a closing quote`,
      );
    } else if (char === '"' && field === '') {
      inQuotes = true;
      quoteStartLine = line;
    } else field += char;
  }
  if (inQuotes) {
    throw new TransportError(
      'TRANSPORT_INPUT_FORMAT',
      `${sourceName}: line ${quoteStartLine}: quote never closed`,
    );
  }
  if (field !== '' || row.length > 0 || afterQuote) endRow();
  return rows;
}
