// Runs the minimal connector with @sdk/arrow-chunker and apache-arrow loaded through require().
require('./minimal-connector.cjs')({
  sdk: require('@sdk/arrow-chunker'),
  arrow: require('apache-arrow'),
}).catch((error) => {
  console.error(error);
  process.exit(1);
});
