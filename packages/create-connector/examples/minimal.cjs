// Runs the minimal connector with @sdk/create-connector loaded through require().
require('./minimal-connector.cjs')({ sdk: require('@sdk/create-connector') }).catch((error) => {
  console.error(error);
  process.exit(1);
});
