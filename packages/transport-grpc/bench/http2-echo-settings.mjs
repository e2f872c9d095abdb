// HTTP/2 settings of the bare HTTP/2 echo: the best of the windows and frame sizes tried on the
// development machine (stream window 1 MiB, connection window 8 MiB, 64 KiB frames), so the figure is
// what the protocol itself carries here rather than Node's 64 KiB defaults.
export const streamWindowBytes = 1024 * 1024;
export const connectionWindowBytes = 8 * 1024 * 1024;
export const settings = { initialWindowSize: streamWindowBytes, maxFrameSize: 64 * 1024 };
