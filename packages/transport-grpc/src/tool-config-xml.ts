import { TransportError } from './errors/transport-error.js';

/** An element of a tool configuration document: name, attributes, child elements and its text (joined). */
export interface ToolConfigElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly ToolConfigElement[];
  readonly text: string;
}

const namedEntities: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const maxDepth = 64;

/**
 * Parses the tool configuration XML an engine hands a plugin (`provider.toolConfigXml`): elements,
 * attributes, text, the five predefined entities, numeric character references, CDATA, comments and
 * processing instructions. A DOCTYPE is refused, so no entity can be declared (no expansion attacks, no
 * external fetches); nesting deeper than 64 elements is refused. Returns the root element.
 *
 * @throws TransportError `TRANSPORT_CONFIG` naming the line and column of the problem.
 */
export function parseToolConfigXml(xml: string): ToolConfigElement {
  let index = 0;
  const fail = (message: string, at = index): never => {
    const before = xml.slice(0, at);
    const line = before.split('\n').length;
    const column = at - before.lastIndexOf('\n');
    throw new TransportError(
      'TRANSPORT_CONFIG',
      `tool config XML, line ${line}, column ${column}: ${message}`,
    );
  };
  const decode = (raw: string, at: number): string =>
    raw.replace(/&([^;&\s]*);?/g, (match, body: string) => {
      if (!match.endsWith(';')) return fail(`'&' must start an entity like &amp;`, at);
      const numeric = /^#(x[0-9a-fA-F]+|[0-9]+)$/.exec(body);
      if (numeric?.[1] !== undefined) {
        const code = numeric[1].startsWith('x')
          ? Number.parseInt(numeric[1].slice(1), 16)
          : Number(numeric[1]);
        if (code > 0x10ffff || code === 0) return fail(`character reference &${body}; is out of range`, at);
        return String.fromCodePoint(code);
      }
      return namedEntities[body] ?? fail(`unknown entity &${body};`, at);
    });
  const skipMisc = (): void => {
    for (;;) {
      while (/\s/.test(xml[index] ?? '')) index += 1;
      if (xml.startsWith('<?', index)) {
        const end = xml.indexOf('?>', index);
        if (end < 0) fail('unterminated processing instruction');
        index = end + 2;
      } else if (xml.startsWith('<!--', index)) {
        const end = xml.indexOf('-->', index);
        if (end < 0) fail('unterminated comment');
        index = end + 3;
      } else if (xml.startsWith('<!DOCTYPE', index) || xml.startsWith('<!doctype', index)) {
        fail('DOCTYPE is not allowed in tool config XML');
      } else return;
    }
  };
  const readName = (): string => {
    const match = /^[A-Za-z_:][A-Za-z0-9_.:-]*/.exec(xml.slice(index, index + 256));
    if (match === null) return fail('expected a name');
    index += match[0].length;
    return match[0];
  };
  const parseElement = (depth: number): ToolConfigElement => {
    if (depth > maxDepth) fail(`elements nested deeper than ${maxDepth}`);
    if (xml[index] !== '<') fail('expected an element');
    index += 1;
    const name = readName();
    const attributes: Record<string, string> = {};
    for (;;) {
      const hadSpace = /\s/.test(xml[index] ?? '');
      while (/\s/.test(xml[index] ?? '')) index += 1;
      if (xml.startsWith('/>', index)) {
        index += 2;
        return { name, attributes, children: [], text: '' };
      }
      if (xml[index] === '>') {
        index += 1;
        break;
      }
      if (!hadSpace) fail(`expected whitespace, '>' or '/>' in <${name}>`);
      const attributeAt = index;
      const attribute = readName();
      while (/\s/.test(xml[index] ?? '')) index += 1;
      if (xml[index] !== '=') fail(`expected '=' after attribute ${attribute}`);
      index += 1;
      while (/\s/.test(xml[index] ?? '')) index += 1;
      const quote = xml[index];
      if (quote !== '"' && quote !== "'") return fail(`attribute ${attribute} needs a quoted value`);
      const end = xml.indexOf(quote, index + 1);
      if (end < 0) fail(`unterminated value of attribute ${attribute}`);
      const raw = xml.slice(index + 1, end);
      if (raw.includes('<')) fail(`'<' in the value of attribute ${attribute}`);
      if (Object.hasOwn(attributes, attribute)) fail(`duplicate attribute ${attribute}`, attributeAt);
      attributes[attribute] = decode(raw, index);
      index = end + 1;
    }
    const children: ToolConfigElement[] = [];
    let text = '';
    for (;;) {
      if (index >= xml.length) fail(`<${name}> is not closed`);
      if (xml.startsWith('</', index)) {
        index += 2;
        const closing = readName();
        if (closing !== name) fail(`</${closing}> closes <${name}>`);
        while (/\s/.test(xml[index] ?? '')) index += 1;
        if (xml[index] !== '>') fail(`expected '>' after </${closing}`);
        index += 1;
        return { name, attributes, children, text };
      }
      if (xml.startsWith('<!--', index)) {
        const end = xml.indexOf('-->', index);
        if (end < 0) fail('unterminated comment');
        index = end + 3;
      } else if (xml.startsWith('<![CDATA[', index)) {
        const end = xml.indexOf(']]>', index);
        if (end < 0) fail('unterminated CDATA section');
        text += xml.slice(index + 9, end);
        index = end + 3;
      } else if (xml.startsWith('<?', index)) {
        const end = xml.indexOf('?>', index);
        if (end < 0) fail('unterminated processing instruction');
        index = end + 2;
      } else if (xml[index] === '<') {
        children.push(parseElement(depth + 1));
      } else {
        const end = xml.indexOf('<', index);
        const stop = end < 0 ? xml.length : end;
        text += decode(xml.slice(index, stop), index);
        index = stop;
      }
    }
  };

  skipMisc();
  const root = parseElement(0);
  skipMisc();
  if (index < xml.length) fail('content after the root element');
  return root;
}
