import { parseTableList, quoteIdentifier, quoteTableName } from './sql-identifiers';

describe('parseTableList', () => {
  test('qualifies bare names with the default schema and folds them to lower case, as SQL does', () => {
    expect(parseTableList('Customers, sales.Orders', 'public')).toEqual([
      { schema: 'public', name: 'customers' },
      { schema: 'sales', name: 'orders' },
    ]);
  });

  test('keeps quoted names exactly, including dots, commas and doubled quotes', () => {
    expect(parseTableList('"My Schema"."a.b,c", "say ""hi"""', 'x')).toEqual([
      { schema: 'My Schema', name: 'a.b,c' },
      { schema: 'x', name: 'say "hi"' },
    ]);
  });

  test('drops repeated tables', () => {
    expect(parseTableList('a, public.a, a', 'public')).toEqual([{ schema: 'public', name: 'a' }]);
  });

  test.each(['a,,b', 'a b', 'a.', '""', ',', 'a.b.c'])('describes the problem in %j', (text) => {
    expect(typeof parseTableList(text, 'public')).toBe('string');
  });
});

test('quoting makes any identifier safe in SQL text', () => {
  expect(quoteIdentifier('we"ird')).toBe('"we""ird"');
  expect(quoteTableName({ schema: 's"', name: 't; DROP TABLE x' })).toBe('"s"""."t; DROP TABLE x"');
});
