module.exports = {
  ...require('../../jest.config.base.js'),
  // Compiles src/ once for the tests that spawn child processes (see the file's header).
  globalSetup: '<rootDir>/jest.global-setup.js',
};
