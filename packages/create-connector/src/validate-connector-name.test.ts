import { CreateConnectorError } from './errors/create-connector-error';
import { InvalidConnectorNameError } from './errors/invalid-connector-name-error';
import { MAX_CONNECTOR_NAME_LENGTH, validateConnectorName } from './validate-connector-name';

function rejection(name: string): InvalidConnectorNameError {
  try {
    validateConnectorName(name);
  } catch (error) {
    if (InvalidConnectorNameError.isInstance(error)) return error;
    throw error;
  }
  throw new Error(`${JSON.stringify(name)} was accepted`);
}

describe('validateConnectorName', () => {
  it.each(['acme', 'acme-orders', 'source-v2', 'a1-b2-c3', 'x'.repeat(MAX_CONNECTOR_NAME_LENGTH)])(
    'accepts %s',
    (name) => {
      expect(() => validateConnectorName(name)).not.toThrow();
    },
  );

  it.each([
    ['', 'must not be empty'],
    ['   ', 'must not be empty'],
    [' acme', 'must not start or end with whitespace'],
    ['Acme', 'must be lowercase'],
    ['acmeOrders', 'must be lowercase'],
    ['.acme', 'must not start with "." or "_"'],
    ['_acme', 'must not start with "." or "_"'],
    ['acme orders', 'contains characters that are not allowed in an npm package name'],
    ['acme/orders', 'contains characters that are not allowed in an npm package name'],
    ['@acme', 'contains characters that are not allowed in an npm package name'],
    [
      'acme.orders',
      'must be kebab-case (letters, digits and hyphens only), because file names are derived from it',
    ],
    [
      'acme_orders',
      'must be kebab-case (letters, digits and hyphens only), because file names are derived from it',
    ],
    ['1-acme', 'must start with a letter, because class names are derived from it'],
    ['-acme', 'must start with a letter, because class names are derived from it'],
    ['acme-', 'must not end with "-" or contain "--"'],
    ['acme--orders', 'must not end with "-" or contain "--"'],
    [
      'node_modules',
      'must be kebab-case (letters, digits and hyphens only), because file names are derived from it',
    ],
    ['index', 'is a reserved name'],
    ['npm', 'is a reserved name'],
    ['http', 'is the name of a Node.js core module'],
    ['x'.repeat(MAX_CONNECTOR_NAME_LENGTH + 1), `must be at most ${MAX_CONNECTOR_NAME_LENGTH} characters`],
  ])('rejects %j: %s', (name, reason) => {
    const error = rejection(name);
    expect(error.code).toBe('CREATE_CONNECTOR_INVALID_NAME');
    expect(error.reason).toBe(reason);
    expect(error.connectorName).toBe(name);
    expect(CreateConnectorError.isInstance(error)).toBe(true);
    expect(error.message.startsWith('[CREATE_CONNECTOR_INVALID_NAME] ')).toBe(true);
  });

  it('keeps the whole scoped package name within npm’s 214 characters', () => {
    expect(`@connectors/${'x'.repeat(MAX_CONNECTOR_NAME_LENGTH)}`).toHaveLength(214);
  });
});
