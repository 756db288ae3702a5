#!/usr/bin/env python3
"""Which crates the browser bundle's code bytes come from.

Reads a wasm module that still has its "name" section (cargo-leptos's
pre-wasm-bindgen output: target/front/wasm32-unknown-unknown/wasm-release/tapin.wasm),
sizes every function body, and sums them by crate (first path segment of the
function name). Usage: scripts/wasm-sizes.py <module.wasm> [top-n]
"""
import re
import sys
from collections import Counter


def leb(b, i):
    result = shift = 0
    while True:
        x = b[i]
        i += 1
        result |= (x & 0x7F) << shift
        shift += 7
        if x < 0x80:
            return result, i


def sections(b):
    i = 8
    while i < len(b):
        sid = b[i]
        size, j = leb(b, i + 1)
        yield sid, b[j : j + size]
        i = j + size


def crate_of(name):
    """The crate a mangled Rust symbol belongs to (for a trait impl, the implementing type's)."""
    if name.startswith("_ZN"):  # legacy mangling: _ZN<len><segment>...
        m = re.match(r"_ZN(\d+)", name)
        first = name[m.end() : m.end() + int(m.group(1))]
        first = re.sub(r"^_?(\$LT\$|\$RF\$|\$BP\$|\$u5b\$|\$u20\$|mut|dyn|_)+", "", first)
        return re.split(r"\.\.|\$", first, maxsplit=1)[0] or "?"
    if name.startswith("_R"):  # v0 mangling: the first crate root C[s<hash>_]<len><name>
        m = re.search(r"C(?:s[0-9a-zA-Z]*_)?(\d+)([A-Za-z_])", name)
        if m:
            start = m.start(2)
            return name[start : start + int(m.group(1))]
    return name.split("::")[0] or "?"


def main():
    data = open(sys.argv[1], "rb").read()
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    imported = 0
    bodies, names, data_bytes = [], {}, 0
    for sid, body in sections(data):
        if sid == 2:  # imports: count functions, they come first in the index space
            n, i = leb(body, 0)
            for _ in range(n):
                for _ in range(2):
                    ln, i = leb(body, i)
                    i += ln
                kind = body[i]
                i += 1
                if kind == 0:
                    imported += 1
                    _, i = leb(body, i)
                elif kind == 1:
                    i += 1
                    flags, i = leb(body, i)
                    _, i = leb(body, i)
                    if flags & 1:
                        _, i = leb(body, i)
                elif kind == 2:
                    flags, i = leb(body, i)
                    _, i = leb(body, i)
                    if flags & 1:
                        _, i = leb(body, i)
                elif kind == 3:
                    i += 2
        elif sid == 10:  # code
            n, i = leb(body, 0)
            for _ in range(n):
                size, i = leb(body, i)
                bodies.append(size)
                i += size
        elif sid == 11:
            data_bytes = len(body)
        elif sid == 0:
            ln, i = leb(body, 0)
            if body[i : i + ln] != b"name":
                continue
            i += ln
            while i < len(body):
                sub = body[i]
                size, j = leb(body, i + 1)
                if sub == 1:
                    n, k = leb(body, j)
                    for _ in range(n):
                        idx, k = leb(body, k)
                        ln, k = leb(body, k)
                        names[idx] = body[k : k + ln].decode("utf-8", "replace")
                        k += ln
                i = j + size
    by_crate = Counter()
    for n, size in enumerate(bodies):
        by_crate[crate_of(names.get(imported + n, "?"))] += size
    total = sum(bodies)
    print(f"code {total:,} bytes in {len(bodies):,} functions; data segments {data_bytes:,} bytes")
    for crate, size in by_crate.most_common(top):
        print(f"{size:>10,}  {100 * size / total:5.1f} %  {crate}")


if __name__ == "__main__":
    main()
