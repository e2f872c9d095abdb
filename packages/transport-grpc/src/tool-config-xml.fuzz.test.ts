import fc from 'fast-check';
import { fuzzParameters } from './__fixtures__/fuzz-parameters.js';
import { TransportError } from './errors/transport-error.js';
import { parseToolConfigXml, type ToolConfigElement } from './tool-config-xml.js';

// Fuzzers of the tool configuration XML parser (what an engine hands a plugin). Invariant: the element
// tree the text holds, or a TransportError TRANSPORT_CONFIG naming a line and column; never another
// throw, a stack overflow or a hang. FUZZ_RUNS / FUZZ_SEED as in every fuzz test.

function expectConfigError(error: unknown): void {
  if (!TransportError.isInstance(error) || error.code !== 'TRANSPORT_CONFIG') throw error;
  expect(error.message).toMatch(/^\[TRANSPORT_CONFIG\] tool config XML, line \d+, column \d+: /);
}

const name = fc.oneof(
  fc.stringMatching(/^[A-Za-z_:][A-Za-z0-9_.:-]{0,8}$/),
  fc.constantFrom('Configuration', 'Formula', 'Filter', '__proto__', 'constructor', 'toString'),
);

/** A character as text, any code point (the parser checks references, not raw text). */
const anyChar = fc.oneof(
  fc.constantFrom('<', '>', '&', '"', "'", ']', '\n', '\r', '\t', ' ', ';', '#'),
  fc.integer({ min: 0x20, max: 0x10ffff }).map((code) => String.fromCodePoint(code)),
);
const text = fc.string({ unit: anyChar, maxLength: 10 });

/** Escapes `value` one of the ways XML allows: entities, character references or (text only) CDATA. */
function escaped(value: string, style: number, inAttribute: boolean): string {
  if (!inAttribute && style === 2 && !value.includes(']]>')) return `<![CDATA[${value}]]>`;
  let out = '';
  for (const char of value) {
    const code = char.codePointAt(0) as number;
    const special = char === '<' || char === '&' || char === '"' || (inAttribute && char === "'");
    if (style === 1 && (special || code > 0x7e) && code >= 0x20 && (code < 0xd800 || code > 0xdfff)) {
      out += code % 2 === 0 ? `&#${code};` : `&#x${code.toString(16)};`;
    } else if (special) {
      out += { '<': '&lt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' }[char];
    } else out += char;
  }
  return out;
}

interface Tree {
  name: string;
  attributes: [string, string][];
  content: Array<string | Tree>;
}

const tree: fc.Arbitrary<Tree> = fc.letrec<{ node: Tree }>((tie) => ({
  node: fc.record({
    name,
    attributes: fc.uniqueArray(fc.tuple(name, text), { maxLength: 3, selector: ([key]) => key }),
    content: fc.array(fc.oneof({ depthSize: 'small' }, { arbitrary: text, weight: 2 }, tie('node')), {
      maxLength: 3,
    }),
  }),
})).node;

function serialize(node: Tree, style: number): string {
  const attributes = node.attributes
    .map(([key, value]) => ` ${key}="${escaped(value, style, true)}"`)
    .join('');
  if (node.content.length === 0 && style === 0) return `<${node.name}${attributes}/>`;
  const content = node.content
    .map((part, index) =>
      typeof part === 'string' ? escaped(part, (style + index) % 3, false) : serialize(part, style),
    )
    .join(style === 1 ? '<!-- c -->' : '');
  return `<${node.name}${attributes}>${content}</${node.name} >`;
}

function expected(node: Tree): ToolConfigElement {
  const attributes: Record<string, string> = {};
  for (const [key, value] of node.attributes) {
    Object.defineProperty(attributes, key, { value, enumerable: true, configurable: true, writable: true });
  }
  return {
    name: node.name,
    attributes,
    children: node.content.filter((part): part is Tree => typeof part !== 'string').map(expected),
    text: node.content.filter((part): part is string => typeof part === 'string').join(''),
  };
}

/** Plain data for comparison (own enumerable keys, `__proto__` included). */
function plain(element: ToolConfigElement): unknown {
  return {
    name: element.name,
    attributes: Object.entries(element.attributes),
    children: element.children.map(plain),
    text: element.text,
  };
}

describe('fuzz: tool config XML (parseToolConfigXml)', () => {
  it('reads back any element tree, whichever escaping it was written with', () => {
    fc.assert(
      fc.property(tree, fc.integer({ min: 0, max: 2 }), fc.boolean(), (root, style, prolog) => {
        const xml = `${prolog ? '<?xml version="1.0"?>\n<!-- tool -->\n' : ''}${serialize(root, style)}\n`;
        expect(plain(parseToolConfigXml(xml))).toEqual(plain(expected(root)));
      }),
      fuzzParameters(300),
    );
  });

  it('reads damaged or arbitrary text into an element tree or a TRANSPORT_CONFIG error with its position', () => {
    const damaged = fc
      .tuple(
        tree,
        fc.integer({ min: 0, max: 2 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 4 }),
        fc.string({
          unit: fc.constantFrom('<', '>', '/', '&', '"', '=', ' ', '!', '-', '[', '#', ';', 'x', 'D'),
          maxLength: 4,
        }),
      )
      .map(([root, style, at, remove, insert]) => {
        const xml = serialize(root, style);
        const position = Math.floor(at * xml.length);
        return xml.slice(0, position) + insert + xml.slice(position + remove);
      });
    fc.assert(
      fc.property(fc.oneof(damaged, fc.string({ unit: anyChar, maxLength: 40 })), (xml) => {
        try {
          const root = parseToolConfigXml(xml);
          expect(typeof root.name).toBe('string');
        } catch (error) {
          expectConfigError(error);
        }
      }),
      fuzzParameters(500),
    );
  });

  it('refuses deep nesting, references to non-characters and huge inputs promptly with TRANSPORT_CONFIG', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: 65, max: 100_000 }).map((depth) => '<a>'.repeat(depth)),
          fc
            .integer({ min: 0, max: 0x11ffff })
            .filter((code) =>
              code < 0x20
                ? code !== 9 && code !== 10 && code !== 13
                : code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) || code === 0xfffe || code === 0xffff,
            )
            .map((code) => `<a>&#x${code.toString(16)};</a>`),
          fc
            .constantFrom('&', '<!--', '<a b="', '<![CDATA[', '<?')
            .map((piece) => `<a>${piece.repeat(50_000)}`),
        ),
        (xml) => {
          const started = Date.now();
          expect(() => parseToolConfigXml(xml)).toThrow(/TRANSPORT_CONFIG/);
          expect(Date.now() - started).toBeLessThan(5_000);
        },
      ),
      fuzzParameters(60, 600),
    );
  });
});
