/**
 * A plain Uint8Array of `byteLength` bytes whose content is NOT initialised, for buffers the caller
 * overwrites completely (joining chunks, encoding strings). Skipping the zero fill matters at hundreds of
 * megabytes. Large Node buffers are not pooled, so the view starts at offset 0 of its own ArrayBuffer
 * (8-byte aligned), which Arrow's reader needs to avoid copying bodies; small ones fall back to a fresh
 * zeroed array for the same reason. Returned as a plain Uint8Array so `slice()` keeps copying.
 */
export function allocateUninitialisedBytes(byteLength: number): Uint8Array {
  if (byteLength < Buffer.poolSize) return new Uint8Array(byteLength);
  const buffer = Buffer.allocUnsafeSlow(byteLength);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
