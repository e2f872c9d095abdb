// The echo benchmark's one gRPC method: raw bytes in and out, so the figure is gRPC's cost alone.
const asIs = (bytes) => bytes;

export const echoMethod = {
  Echo: {
    path: '/bench.Echo/Echo',
    requestStream: true,
    responseStream: true,
    requestSerialize: asIs,
    requestDeserialize: asIs,
    responseSerialize: asIs,
    responseDeserialize: asIs,
  },
};

/** Size limits lifted as the transport lifts them. */
export const unlimitedSizes = {
  'grpc.max_receive_message_length': -1,
  'grpc.max_send_message_length': -1,
};
