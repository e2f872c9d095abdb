// Shared jest settings; each package's jest.config.js spreads this and may add to it.
const path = require('node:path');

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/**/*.test.ts'],
  // ts-jest only transpiles (isolatedModules); `pnpm typecheck` type-checks tests too.
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  // Integration tests start servers and child processes; on a busy 2-core machine (CI next to other
  // work, or two suites at once) one that takes 5 s when quiet has been seen past 30 s. A hang still
  // fails, two minutes later.
  testTimeout: 120_000,
  // Each package writes its counts to .jest-results.json so the root can print one total,
  // including packages whose results turbo restored from its cache.
  reporters: ['default', path.join(__dirname, 'scripts', 'jest-results-reporter.js')],
};
