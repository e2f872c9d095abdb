module.exports = {
  ...require('../../jest.config.base.js'),
  // Transpiles the connector once for all tests (see the file's header).
  globalSetup: '<rootDir>/src/__fixtures__/compile-connector.js',
};
