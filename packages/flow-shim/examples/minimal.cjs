// Runs the minimal connector with @sdk/flow-shim loaded through require().
require('./minimal-connector.cjs')({ sdk: require('@sdk/flow-shim') }).catch((error) => {
  console.error(error);
  process.exit(1);
});
