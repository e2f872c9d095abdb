// Runs the minimal connector with @sdk/stream-cdk loaded through require().
require('./minimal-connector.cjs')({ sdk: require('@sdk/stream-cdk') }).catch((error) => {
  console.error(error);
  process.exit(1);
});
