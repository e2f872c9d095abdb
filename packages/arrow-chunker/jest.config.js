// Tests run in a time zone away from UTC so that any instant read as local time shows up as a failure.
process.env.TZ = 'America/New_York';

module.exports = { ...require('../../jest.config.base.js') };
