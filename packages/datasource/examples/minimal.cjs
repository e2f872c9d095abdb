// Runs the minimal connector with @sdk/datasource loaded through require().
require('./minimal-connector.cjs')({ sdk: require('@sdk/datasource') }).catch((error) => {
  console.error(error);
  process.exit(1);
});
