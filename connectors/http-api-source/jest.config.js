module.exports = {
  ...require('../../jest.config.base.js'),
  // Transpiles src/ once for all tests, so they spawn the real entry point as JavaScript.
  globalSetup: require.resolve('../../scripts/jest-transpile-sources.js'),
};
