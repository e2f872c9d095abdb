const base = require('../../jest.config.base.js');

module.exports = {
  ...base,
  // The sources import `./x.js` and `./x.cjs`, as the ES module build needs; under jest they are the
  // `./x.ts` and `./x.cts` sources (the generated codec and built dependencies keep their own files).
  transform: { '^.+\\.c?ts$': base.transform['^.+\\.ts$'] },
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
    '^(\\.{1,2}/.*)\\.cjs$': ['$1.cts', '$1.cjs'],
  },
};
