"""Reference row of the transport benchmark: a Python grpcio (gRPC C core) bidi echo of the same bytes.

The stack the AMP Python SDK itself runs on, with one generic bytes-in/bytes-out method (no protobuf,
no generated code), so the figure is what grpcio carries on this machine.

  python3 grpcio-echo.py server
      prints "ListenPort: <port>"; on SIGTERM prints "cpuMicros=<n>" (its own CPU time) and exits
  python3 grpcio-echo.py client <payload bytes> <count> <piece bytes>
      starts a server process, sends <count> times a payload of <payload bytes> in messages of at most
      <piece bytes> on one bidi call, waits for every byte to come back, and prints
      {"seconds", "bytes", "cpuSeconds"} (CPU of both processes, all threads)
"""

import json
import os
import resource
import signal
import subprocess
import sys
import time
from concurrent import futures

import grpc

METHOD = "/bench.Echo/Echo"
# Message size limits lifted, as the transport lifts them (-1: no limit).
OPTIONS = [("grpc.max_receive_message_length", -1), ("grpc.max_send_message_length", -1)]


def cpu_micros():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return int((usage.ru_utime + usage.ru_stime) * 1e6)


def serve():
    def echo(requests, _context):
        for message in requests:
            yield message

    handler = grpc.method_handlers_generic_handler(
        "bench.Echo", {"Echo": grpc.stream_stream_rpc_method_handler(echo)}
    )
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=2), options=OPTIONS)
    server.add_generic_rpc_handlers((handler,))
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()

    def stop(_signum, _frame):
        sys.stdout.write(f"cpuMicros={cpu_micros()}\n")
        sys.stdout.flush()
        os._exit(0)

    signal.signal(signal.SIGTERM, stop)
    sys.stdout.write(f"ListenPort: {port}\n")
    sys.stdout.flush()
    while True:
        time.sleep(1)


def run_client(payload_bytes, count, piece_bytes):
    server = subprocess.Popen(
        [sys.executable, os.path.abspath(__file__), "server"], stdout=subprocess.PIPE, text=True
    )
    try:
        line = server.stdout.readline()
        if not line.startswith("ListenPort: "):
            raise RuntimeError(f"the echo server did not start: {line!r}")
        port = int(line.split(": ", 1)[1])
        payload = bytes(payload_bytes)
        # Cut once: each message is then sent as it is, as the Node clients send views of one payload.
        pieces = [payload[offset : offset + piece_bytes] for offset in range(0, payload_bytes, piece_bytes)]
        total = payload_bytes * count
        with grpc.insecure_channel(f"127.0.0.1:{port}", options=OPTIONS) as channel:
            call = channel.stream_stream(METHOD)
            grpc.channel_ready_future(channel).result(timeout=30)

            def requests():
                for _ in range(count):
                    yield from pieces

            started = time.perf_counter()
            received = 0
            for message in call(requests()):
                received += len(message)
            seconds = time.perf_counter() - started
        if received != total:
            raise RuntimeError(f"received {received} of {total} bytes")
        server.send_signal(signal.SIGTERM)
        server_cpu = None
        for line in server.stdout:
            if line.startswith("cpuMicros="):
                server_cpu = int(line.split("=", 1)[1])
        server.wait(timeout=30)
        if server_cpu is None:
            raise RuntimeError("the echo server did not report its CPU time")
        cpu_seconds = (cpu_micros() + server_cpu) / 1e6
        sys.stdout.write(json.dumps({"seconds": seconds, "bytes": total, "cpuSeconds": cpu_seconds}) + "\n")
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


if __name__ == "__main__":
    if sys.argv[1:2] == ["server"]:
        serve()
    elif sys.argv[1:2] == ["client"] and len(sys.argv) == 5:
        run_client(int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
    else:
        sys.exit(__doc__)
