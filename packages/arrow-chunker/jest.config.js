// Tests run in a time zone away from UTC so that any instant read as local time shows up as a failure.
process.env.TZ = 'America/New_York';

const base = require('../../jest.config.base.js');

module.exports = {
  ...base,
  // The sources import `./x.js` and `./x.cjs`, as the ES module build needs; under jest they are the
  // `./x.ts` and `./x.cts` sources (built code keeps its own files).
  transform: { '^.+\\.c?ts$': base.transform['^.+\\.ts$'] },
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
    '^(\\.{1,2}/.*)\\.cjs$': ['$1.cts', '$1.cjs'],
  },
};
