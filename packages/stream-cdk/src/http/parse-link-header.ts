/** One link of a `Link` header (RFC 8288). */
export interface WebLink {
  /** The target as written (may be relative to the request URL). */
  readonly target: string;
  /** Relation types, lower-cased (`rel="next last"` gives two). */
  readonly rels: readonly string[];
  /** Every parameter, names lower-cased, first occurrence kept. */
  readonly params: Readonly<Record<string, string>>;
}

/**
 * Parses a `Link` header value (RFC 8288 section 3): `<url>; rel="next"; title="a, b", <url2>; rel=last`.
 * Commas and semicolons inside `<...>` and quoted strings are handled; malformed links are skipped.
 */
export function parseLinkHeader(header: string | null | undefined): WebLink[] {
  if (!header) return [];
  const links: WebLink[] = [];
  let i = 0;
  const length = header.length;
  const skipSpaces = (): void => {
    while (i < length && (header[i] === ' ' || header[i] === '\t')) i++;
  };
  while (i < length) {
    skipSpaces();
    if (header[i] === ',') {
      i++;
      continue;
    }
    if (header[i] !== '<') {
      // Not a link: skip to the next top-level comma.
      i = nextTopLevelComma(header, i);
      continue;
    }
    const close = header.indexOf('>', i + 1);
    if (close === -1) break;
    const target = header.slice(i + 1, close).trim();
    i = close + 1;
    const params: Record<string, string> = {};
    for (;;) {
      skipSpaces();
      if (header[i] !== ';') break;
      i++;
      skipSpaces();
      const nameStart = i;
      while (i < length && /[!#$%&'*+\-.^_`|~0-9A-Za-z]/.test(header[i] as string)) i++;
      const name = header.slice(nameStart, i).toLowerCase();
      skipSpaces();
      let value = '';
      if (header[i] === '=') {
        i++;
        skipSpaces();
        if (header[i] === '"') {
          i++;
          while (i < length && header[i] !== '"') {
            if (header[i] === '\\' && i + 1 < length) i++;
            value += header[i];
            i++;
          }
          i++;
        } else {
          const valueStart = i;
          while (i < length && header[i] !== ';' && header[i] !== ',') i++;
          value = header.slice(valueStart, i).trim();
        }
      }
      // Own properties: a parameter named `constructor` or `__proto__` is a parameter like any other.
      if (name !== '' && !Object.hasOwn(params, name)) {
        Object.defineProperty(params, name, { value, enumerable: true, configurable: true, writable: true });
      }
    }
    const rels = (Object.hasOwn(params, 'rel') ? (params.rel as string) : '')
      .toLowerCase()
      .split(/\s+/)
      .filter((rel) => rel.length > 0);
    links.push({ target, rels, params });
    i = nextTopLevelComma(header, i);
  }
  return links;
}

function nextTopLevelComma(header: string, from: number): number {
  let inQuotes = false;
  let inBrackets = false;
  for (let i = from; i < header.length; i++) {
    const ch = header[i];
    if (inQuotes) {
      if (ch === '\\') i++;
      else if (ch === '"') inQuotes = false;
    } else if (inBrackets) {
      if (ch === '>') inBrackets = false;
    } else if (ch === '"') inQuotes = true;
    else if (ch === '<') inBrackets = true;
    else if (ch === ',') return i + 1;
  }
  return header.length;
}
