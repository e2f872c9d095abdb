import { TemplateError } from './errors/template-error';
import { substitutePlaceholders } from './substitute-placeholders';

describe('substitutePlaceholders', () => {
  it('replaces every occurrence of each placeholder, spaces inside the braces allowed', () => {
    const text = substitutePlaceholders('class {{pascalName}} {} // {{ name }}, {{name}}', {
      pascalName: 'AcmeOrders',
      name: 'acme-orders',
    });
    expect(text).toBe('class AcmeOrders {} // acme-orders, acme-orders');
  });

  it('inserts values as written, never expanding placeholders inside them', () => {
    const text = substitutePlaceholders('{{first}} {{second}}', { first: '{{second}}', second: '$& $1' });
    expect(text).toBe('{{second}} $& $1');
  });

  it('leaves braces that are not placeholders alone', () => {
    const template = 'const a = {{ b: 1 }}; {{}} {{1x}} {{-name}} { {name} }';
    expect(substitutePlaceholders(template, { name: 'n' })).toBe(template);
  });

  it('names the template and every placeholder without a value', () => {
    let thrown: unknown;
    try {
      substitutePlaceholders('{{name}} {{missing}} {{other}} {{missing}}', { name: 'n' }, 'src/x.ts.tmpl');
    } catch (error) {
      thrown = error;
    }
    expect(TemplateError.isInstance(thrown)).toBe(true);
    expect((thrown as TemplateError).code).toBe('CREATE_CONNECTOR_TEMPLATE');
    expect((thrown as TemplateError).message).toContain('src/x.ts.tmpl');
    expect((thrown as TemplateError).message).toContain('missing, other');
  });

  it('does not treat inherited object properties as values', () => {
    expect(() => substitutePlaceholders('{{toString}}', {})).toThrow(TemplateError);
  });
});
