module.exports = {
  ...require('../../jest.config.base.js'),
  // Transpiles the plugin once for all tests, so the integration tests launch the real bin as JavaScript.
  globalSetup: '<rootDir>/src/__fixtures__/compile-plugin.js',
};
