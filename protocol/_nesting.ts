// A linear scan of msgpack bytes for container nesting, before the decoder builds anything.

/**
 * Whether msgpack containers in `bytes` nest deeper than `maxDepth`. Linear, and holds one
 * number per open container. Malformed input returns false: the decoder reports it.
 */
export function nestingExceeds(bytes: Uint8Array, maxDepth: number): boolean {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = bytes.byteLength;
  const u8 = (at: number) => (at < end ? bytes[at]! : 0);
  const u16 = (at: number) => (at + 2 <= end ? view.getUint16(at) : 0);
  const u32 = (at: number) => (at + 4 <= end ? view.getUint32(at) : 0);
  const open: number[] = [];
  let pos = 0;
  while (pos < end) {
    const b = bytes[pos++]!;
    let items = 0;
    if (b < 0x80 || b >= 0xe0 || (b >= 0xc0 && b <= 0xc3)) {
      // one-byte value
    } else if (b < 0x90) items = (b - 0x80) * 2;
    else if (b < 0xa0) items = b - 0x90;
    else if (b < 0xc0) pos += b - 0xa0;
    else {
      switch (b) {
        case 0xc4:
        case 0xd9:
          pos += 1 + u8(pos);
          break;
        case 0xc5:
        case 0xda:
          pos += 2 + u16(pos);
          break;
        case 0xc6:
        case 0xdb:
          pos += 4 + u32(pos);
          break;
        case 0xc7:
          pos += 2 + u8(pos);
          break;
        case 0xc8:
          pos += 3 + u16(pos);
          break;
        case 0xc9:
          pos += 5 + u32(pos);
          break;
        case 0xcc:
        case 0xd0:
          pos += 1;
          break;
        case 0xcd:
        case 0xd1:
        case 0xd4:
          pos += 2;
          break;
        case 0xd5:
          pos += 3;
          break;
        case 0xca:
        case 0xce:
        case 0xd2:
          pos += 4;
          break;
        case 0xd6:
          pos += 5;
          break;
        case 0xcb:
        case 0xcf:
        case 0xd3:
          pos += 8;
          break;
        case 0xd7:
          pos += 9;
          break;
        case 0xd8:
          pos += 17;
          break;
        case 0xdc:
          items = u16(pos);
          pos += 2;
          break;
        case 0xdd:
          items = u32(pos);
          pos += 4;
          break;
        case 0xde:
          items = u16(pos) * 2;
          pos += 2;
          break;
        case 0xdf:
          items = u32(pos) * 2;
          pos += 4;
          break;
        default:
          return false; // 0xc1, never used
      }
    }
    if (items > 0) {
      open.push(items);
      if (open.length > maxDepth) return true;
      continue;
    }
    // A complete value: it fills one slot of each container it closes.
    while (open.length > 0 && --open[open.length - 1]! === 0) open.pop();
  }
  return false;
}
