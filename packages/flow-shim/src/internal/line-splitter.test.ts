import { LineSplitter } from './line-splitter';

const tooLong = (line: number, max: number) => new RangeError(`line ${line} over ${max}`);

describe('LineSplitter', () => {
  it('joins lines split across chunks, including a multi-byte character cut in half', () => {
    const splitter = new LineSplitter(1024, tooLong);
    const bytes = Buffer.from('{"name":"Zoë"}\n{"b":2}\npartial');
    const cut = bytes.indexOf(Buffer.from('ë')) + 1;
    expect(splitter.push(bytes.subarray(0, cut))).toEqual([]);
    expect(splitter.push(bytes.subarray(cut))).toEqual(['{"name":"Zoë"}', '{"b":2}']);
    expect(splitter.end()).toBe('partial');
    expect(splitter.end()).toBeUndefined();
  });

  it('fails as soon as an unfinished line passes the limit, without waiting for its end', () => {
    const splitter = new LineSplitter(10, tooLong);
    expect(splitter.push(Buffer.from('ok\n12345'))).toEqual(['ok']);
    expect(() => splitter.push(Buffer.from('678901'))).toThrow('line 2 over 10');
  });

  it('accepts a line of exactly the limit', () => {
    const splitter = new LineSplitter(5, tooLong);
    expect(splitter.push(Buffer.from('12345\n'))).toEqual(['12345']);
  });
});
