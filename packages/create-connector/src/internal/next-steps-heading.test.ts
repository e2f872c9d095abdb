import { join, resolve } from 'node:path';
import { nextStepsHeading } from './next-steps-heading';

describe('nextStepsHeading', () => {
  const root = resolve('/work/repo');

  it('omits "from" when the commands run in the current directory', () => {
    expect(nextStepsHeading(root, root)).toBe('Next:');
  });

  it('names the directory relative to the current one', () => {
    expect(nextStepsHeading(join(root, 'packages'), root)).toBe('Next, from ..:');
    expect(nextStepsHeading(root, join(root, 'acme-orders'))).toBe(`Next, from acme-orders:`);
    expect(nextStepsHeading(join(root, 'a', 'b'), join(root, 'c'))).toBe(
      `Next, from ${join('..', '..', 'c')}:`,
    );
  });
});
