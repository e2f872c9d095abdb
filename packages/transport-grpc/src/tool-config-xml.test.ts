import { TransportError } from './errors/transport-error.js';
import { parseToolConfigXml } from './tool-config-xml.js';

describe('parseToolConfigXml', () => {
  it('reads elements, attributes, entities, character references and CDATA', () => {
    const root = parseToolConfigXml(
      `<?xml version="1.0"?><!-- c --><Configuration><Config a="x &amp; y"><![CDATA[{"k": "<v>"}]]></Config><Name>caf&#233; &lt;1&gt;</Name><Empty/></Configuration>`,
    );
    expect(root.name).toBe('Configuration');
    expect(root.children.map((child) => child.name)).toEqual(['Config', 'Name', 'Empty']);
    expect(root.children[0]).toMatchObject({ attributes: { a: 'x & y' }, text: '{"k": "<v>"}' });
    expect(root.children[1]?.text).toBe('café <1>');
  });

  it('keeps an attribute named __proto__ as an own attribute (found by fuzzing: it was dropped)', () => {
    const root = parseToolConfigXml('<A __proto__="x" b="y"/>');
    expect(Object.keys(root.attributes)).toEqual(['__proto__', 'b']);
    expect(Object.getOwnPropertyDescriptor(root.attributes, '__proto__')?.value).toBe('x');
    expect(Object.getPrototypeOf(root.attributes)).toBe(Object.prototype);
  });

  it.each([
    ['<Configuration>', 'is not closed'],
    ['<A></B>', 'closes'],
    ['<!DOCTYPE x><A/>', 'DOCTYPE'],
    ['<A b="1" b="2"/>', 'duplicate attribute'],
    ['<A>&bogus;</A>', 'unknown entity'],
    ['<A/><B/>', 'content after the root element'],
    [`${'<a>'.repeat(70)}${'</a>'.repeat(70)}`, 'nested deeper'],
    // Found by fuzzing: a lone surrogate and a control character came through as text.
    ['<A>&#xD800;</A>', 'not an XML character'],
    ['<A b="&#1;"/>', 'not an XML character'],
  ])('refuses %s with TRANSPORT_CONFIG and a position', (xml, why) => {
    let caught: unknown;
    try {
      parseToolConfigXml(xml);
    } catch (error) {
      caught = error;
    }
    expect(TransportError.isInstance(caught)).toBe(true);
    expect((caught as TransportError).code).toBe('TRANSPORT_CONFIG');
    expect((caught as Error).message).toMatch(/line \d+, column \d+/);
    expect((caught as Error).message).toContain(why);
  });
});
