// Runs the minimal connector with @sdk/transport-grpc and apache-arrow loaded through require().
require('./minimal-connector.cjs')({
  sdk: require('@sdk/transport-grpc'),
  arrow: require('apache-arrow'),
}).catch((error) => {
  console.error(error);
  process.exit(1);
});
