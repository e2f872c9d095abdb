module.exports = { ...require('../../jest.config.base.js'), testTimeout: 600_000 };
