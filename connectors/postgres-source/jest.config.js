module.exports = {
  ...require('../../jest.config.base.js'),
  // One throwaway PostgreSQL cluster for the whole run (see the files' headers).
  globalSetup: '<rootDir>/src/__fixtures__/global-setup.ts',
  globalTeardown: '<rootDir>/src/__fixtures__/global-teardown.ts',
};
