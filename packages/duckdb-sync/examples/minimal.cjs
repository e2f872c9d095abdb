// Runs the minimal connector with @sdk/duckdb-sync and @sdk/stream-cdk loaded through require().
require('./minimal-connector.cjs')({
  duckdbSync: require('@sdk/duckdb-sync'),
  cdk: require('@sdk/stream-cdk'),
}).catch((error) => {
  console.error(error);
  process.exit(1);
});
