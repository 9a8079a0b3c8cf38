/**
 * Decodes at most `maxBytes` of `bytes` as UTF-8, cutting before a character that would straddle
 * the limit, so that stored response bodies are never broken mid-character and never exceed the
 * limit once encoded again (invalid input decodes to U+FFFD, which is 3 bytes, so it is re-checked).
 */
export function truncateUtf8(bytes: Uint8Array, maxBytes: number): string {
  if (!Number.isInteger(maxBytes) || maxBytes < 0) throw new RangeError(`maxBytes must be a non-negative integer, got ${maxBytes}`);
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = buffer.subarray(0, cutPoint(buffer, maxBytes)).toString('utf8');
  const encoded = Buffer.from(text, 'utf8');
  if (encoded.length <= maxBytes) return text;
  return encoded.subarray(0, cutPoint(encoded, maxBytes)).toString('utf8');
}

/** The largest index <= maxBytes that does not fall inside a multi-byte sequence. */
function cutPoint(buffer: Buffer, maxBytes: number): number {
  if (buffer.length <= maxBytes) return buffer.length;
  let end = maxBytes;
  // A UTF-8 character is at most 4 bytes: at most 3 continuation bytes (10xxxxxx) to step over.
  for (let steps = 0; steps < 3 && end > 0 && (buffer[end] & 0xc0) === 0x80; steps += 1) end -= 1;
  return (buffer[end] & 0xc0) === 0x80 ? maxBytes : end;
}
