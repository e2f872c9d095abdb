// Jest global setup: transpiles src/ once with the workspace's shared step (so CLI tests spawn
// `sdk-datasource-run` on plain JavaScript), then starts the throwaway PostgreSQL cluster
// (src/__fixtures__/global-setup.ts; jest transpiles it on require).
const transpileSources = require('../../scripts/jest-transpile-sources.js');

module.exports = async function globalSetup(globalConfig, projectConfig) {
  transpileSources(globalConfig, projectConfig);
  const { default: startTestCluster } = require('./src/__fixtures__/global-setup.ts');
  await startTestCluster();
};
