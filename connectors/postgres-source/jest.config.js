module.exports = {
  ...require('../../jest.config.base.js'),
  // Transpiles src/ once, then one throwaway PostgreSQL cluster for the whole run (see the files' headers).
  globalSetup: '<rootDir>/jest.global-setup.js',
  globalTeardown: '<rootDir>/src/__fixtures__/global-teardown.ts',
};
