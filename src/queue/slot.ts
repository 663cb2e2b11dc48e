// Redis Cluster's key → hash slot mapping (CRC16/XMODEM of the key, or of its `{hash tag}`, mod 16384).

/** SLOTS is how many hash slots a Redis Cluster divides its keys into. */
export const SLOTS = 16384;

const TABLE = (() => {
  const table = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let crc = i << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    table[i] = crc;
  }
  return table;
})();

/** crc16 is the CRC16/XMODEM checksum of a string's UTF-8 bytes, the one Redis Cluster hashes keys with. */
export function crc16(text: string): number {
  let crc = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // Keys are ASCII but for the odd group value: only those pay for an encoding.
    if (code >= 0x80) return crc16Bytes(Buffer.from(text, "utf8"));
    crc = ((crc << 8) & 0xffff) ^ (TABLE[((crc >> 8) ^ code) & 0xff] ?? 0);
  }
  return crc;
}

function crc16Bytes(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) crc = ((crc << 8) & 0xffff) ^ (TABLE[((crc >> 8) ^ byte) & 0xff] ?? 0);
  return crc;
}

/**
 * keySlot is the hash slot of `key`: only the part between the first `{` and the next `}` is hashed when
 * that part is not empty, so keys sharing a hash tag share a slot (and a node).
 */
export function keySlot(key: string): number {
  const open = key.indexOf("{");
  if (open >= 0) {
    const close = key.indexOf("}", open + 1);
    if (close > open + 1) return crc16(key.slice(open + 1, close)) % SLOTS;
  }
  return crc16(key) % SLOTS;
}
