// Runs the minimal connector with @sdk/transport-grpc loaded through require().
require('./minimal-connector.cjs')({ transport: require('@sdk/transport-grpc') }).catch((error) => {
  console.error(error);
  process.exit(1);
});
