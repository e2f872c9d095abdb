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

/** XML 1.0's Char production: what a character reference may name (no NUL, C0 control, surrogate, FFFE/FFFF). */
function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

/**
 * Parses the tool configuration XML an engine hands a plugin (`provider.toolConfigXml`): elements,
 * attributes, text, the five predefined entities, numeric character references (to XML characters
 * only: no NUL, C0 control or lone surrogate), CDATA, comments and processing instructions. Attribute
 * names are own properties of `attributes`, whatever they are (`__proto__` included). A DOCTYPE is refused, so no entity can be declared (no expansion attacks, no
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
        if (!isXmlChar(code)) return fail(`character reference &${body}; is not an XML character`, at);
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
      // An own property whatever the name: assigning `__proto__` would drop the attribute.
      Object.defineProperty(attributes, attribute, {
        value: decode(raw, index),
        enumerable: true,
        configurable: true,
        writable: true,
      });
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
