import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// The README's HttpStream examples must be the code that the typecheck compiles and the tests run.
describe('README examples', () => {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const fixture = readFileSync(join(__dirname, '..', '__fixtures__', 'readme-http-examples.ts'), 'utf8');

  it('the incremental Orders example is the compiled and tested fixture, verbatim', () => {
    const block = /```ts\n(class Orders extends HttpStream \{[\s\S]*?\n\})\n```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    expect(fixture).toContain(`export ${block}`);
  });

  it('the error mapping and request snippets appear in the fixture', () => {
    for (const snippet of [
      "404: { action: 'ignore', message: 'no invoices yet' }",
      "403: { action: 'skip_stream', message: 'the key cannot read invoices' }",
      "400: { action: 'fail', failureType: 'config_error', message: 'check the account id' }",
      "return { query: 'state:open' };",
      "return { 'X-Page-Kind': args.nextPageToken === undefined ? 'first' : 'next' };",
    ]) {
      expect(readme).toContain(snippet);
      expect(fixture).toContain(snippet);
    }
  });
});
