const base = require('../../jest.config.base.js');

module.exports = {
  ...base,
  // Test files run in a worker process even on 2 cores (a memory limit makes jest use workers): Node 20's
  // http2 has aborted the whole process once (malloc heap corruption, native), which in band took every
  // test of the package down with it; in a worker it fails only the file that was running, and says which.
  workerIdleMemoryLimit: '1GB',
  // The sources import `./x.js` and `./x.cjs`, as the ES module build needs; under jest they are the
  // `./x.ts` and `./x.cts` sources (the generated codec and built dependencies keep their own files).
  transform: { '^.+\\.c?ts$': base.transform['^.+\\.ts$'] },
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
    '^(\\.{1,2}/.*)\\.cjs$': ['$1.cts', '$1.cjs'],
  },
};
