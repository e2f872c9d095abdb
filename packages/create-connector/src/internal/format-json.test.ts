import { formatJson } from './format-json';

describe('formatJson', () => {
  it('expands objects, keeps short arrays of plain values on one line, and ends with a newline', () => {
    const text = formatJson({ include: ['src'], nested: { types: ['node', 'jest'] }, empty: [], none: {} });
    expect(text).toBe(
      '{\n  "include": ["src"],\n  "nested": {\n    "types": ["node", "jest"]\n  },\n  "empty": [],\n  "none": {}\n}\n',
    );
  });

  it('expands arrays of objects and arrays too long for one line', () => {
    const long = Array.from({ length: 12 }, (_, index) => `value-number-${index}`);
    const text = formatJson({ references: [{ path: 'a' }], long });
    expect(text).toContain('"references": [\n    {\n      "path": "a"\n    }\n  ]');
    expect(text).toContain('"long": [\n    "value-number-0",\n');
    expect(JSON.parse(text)).toEqual({ references: [{ path: 'a' }], long });
  });
});
