// Runs the minimal connector with @sdk/datasource-bridge and @sdk/datasource loaded through require().
require('./minimal-connector.cjs')({
  bridge: require('@sdk/datasource-bridge'),
  datasource: require('@sdk/datasource'),
}).catch((error) => {
  console.error(error);
  process.exit(1);
});
