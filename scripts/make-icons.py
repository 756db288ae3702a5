#!/usr/bin/env python3
"""Draws tapin's PWA icons (192, 512, maskable 512) as PNGs with the standard
library only: a blue square with a white "tap" dot. Run once; output is committed."""
import struct, zlib, sys, os

BLUE = (31, 95, 209)
WHITE = (255, 255, 255)

def png(path, size, safe):
    # `safe`: fraction of the canvas the glyph may use (maskable icons keep a margin).
    cx, cy = size / 2, size * 0.46
    r = size * 0.19 * safe / 0.8
    stem_w, stem_top, stem_bot = size * 0.12 * safe / 0.8, cy + r * 0.9, cy + r * 2.6
    rows = []
    for y in range(size):
        row = bytearray([0])
        for x in range(size):
            inside = (x - cx) ** 2 + (y - cy) ** 2 <= r * r
            stem = abs(x - cx) <= stem_w / 2 and stem_top <= y <= stem_bot
            row += bytes(WHITE if inside or stem else BLUE)
        rows.append(bytes(row))
    raw = zlib.compress(b"".join(rows), 9)
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")
    with open(path, "wb") as f:
        f.write(data)

out = sys.argv[1] if len(sys.argv) > 1 else "public/icons"
os.makedirs(out, exist_ok=True)
png(f"{out}/icon-192.png", 192, 0.8)
png(f"{out}/icon-512.png", 512, 0.8)
png(f"{out}/maskable-512.png", 512, 0.6)
