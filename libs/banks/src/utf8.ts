/**
 * UTF-8 length of a string, without TextEncoder: the loader's 512-byte window is counted
 * in bytes on disk, and domain code stays free of platform APIs.
 */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}
