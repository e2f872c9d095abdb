import { TransformError } from './errors/transform-error';
import { parseToolConfig } from './tool-config';

function configErrorOf(xml: string): TransformError {
  try {
    parseToolConfig(xml);
  } catch (error) {
    if (TransformError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected the config to be refused');
}

describe('parseToolConfig', () => {
  it('reads the filter and the formulas in order, decoding entities and CDATA', () => {
    const config = parseToolConfig(`<?xml version="1.0"?>
      <!-- engine-written -->
      <Configuration>
        <Filter>amount &gt; 100 and status == 'paid' and [a&amp;b] &lt;= 5</Filter>
        <Formula name="amount_eur" type="double">amount * 0.92</Formula>
        <Formula name='label'><![CDATA[upper(status) + " <" + 'x' + ">"]]></Formula>
        <Formula name="n" type="int32">qty &#x2B; 1</Formula>
      </Configuration>`);
    expect(config).toEqual({
      filter: "amount > 100 and status == 'paid' and [a&b] <= 5",
      formulas: [
        { name: 'amount_eur', type: 'double', expression: 'amount * 0.92' },
        { name: 'label', type: undefined, expression: `upper(status) + " <" + 'x' + ">"` },
        { name: 'n', type: 'int32', expression: 'qty + 1' },
      ],
    });
  });

  it('treats an empty config, an empty root and an empty filter as a pass-through', () => {
    const passThrough = { filter: undefined, formulas: [] };
    expect(parseToolConfig('')).toEqual(passThrough);
    expect(parseToolConfig('<Configuration />')).toEqual(passThrough);
    expect(parseToolConfig('<Configuration><Filter>  </Filter></Configuration>')).toEqual(passThrough);
  });

  it.each([
    ['<Configuration><Filter>a</Filter>', 'an unclosed root'],
    ['<Configuration><Filter>a</Flter></Configuration>', 'a mismatched end tag'],
    ['<!DOCTYPE x [<!ENTITY a "b">]><Configuration/>', 'a DOCTYPE (entity declarations)'],
    ['<Configuration>&bogus;</Configuration>', 'an unknown entity'],
    ['<Configuration>a & b</Configuration>', 'a bare ampersand'],
    ['<Configuration/><Extra/>', 'a second root'],
    ['<Settings/>', 'another root element'],
    ['<Configuration><Sort>a</Sort></Configuration>', 'an unknown element'],
    ['<Configuration><Filter x="1">a</Filter></Configuration>', 'an unknown attribute'],
    ['<Configuration><Formula>a</Formula></Configuration>', 'a formula without a name'],
    ['<Configuration><Formula name="a" type="money">1</Formula></Configuration>', 'an unknown type'],
    [
      '<Configuration><Formula name="a">1</Formula><Formula name="a">2</Formula></Configuration>',
      'a duplicate formula',
    ],
    ['<Configuration><Formula name="a"> </Formula></Configuration>', 'an empty formula'],
    ['<Configuration><Filter>a</Filter><Filter>b</Filter></Configuration>', 'two filters'],
    ['<Configuration a="1" a="2"/>', 'a duplicate attribute'],
    [`${'<a>'.repeat(100)}`, 'deep nesting'],
  ])('refuses %p (%s) with TRANSFORM_CONFIG', (xml) => {
    expect(configErrorOf(xml).code).toBe('TRANSFORM_CONFIG');
  });

  it('says where malformed XML breaks', () => {
    expect(configErrorOf('<Configuration>\n  <Filter>a</Flter>\n</Configuration>').message).toContain(
      'line 2',
    );
  });
});
