#!/usr/bin/env python3
"""Reads and writes RMA Nexus shared memory (docs/rma-format.md) with the Python standard library.

  rma.py FILE banks                               list the banks
  rma.py FILE read  BANK OFFSET[.BIT] TYPE [N]    print a value (N: the length of a STRING)
  rma.py FILE write BANK OFFSET[.BIT] TYPE VALUE  write a value
  rma.py FILE dump  BANK OFFSET LENGTH            hex dump of a consistent snapshot

BANK is a name or an id. TYPE is BOOL, INT8..INT64, UINT8..UINT32, FLOAT32, FLOAT64 or STRING(n).
This writer cannot compare-and-set: it must be the only such writer of the banks it writes.
Exit status: 0 done, 1 refused (bad file, bad value, bank busy), 2 usage error.
"""
import datetime
import math
import mmap
import struct
import sys
import time

MAGIC = b"RMANEXUS"
VERSION = 1
HEADER, ENTRY = 64, 128
TIMEOUT_S = 0.2

# type -> (struct code, size)
TYPES = {
    "INT8": ("<b", 1), "INT16": ("<h", 2), "INT32": ("<i", 4), "INT64": ("<q", 8),
    "UINT8": ("<B", 1), "UINT16": ("<H", 2), "UINT32": ("<I", 4),
    "FLOAT32": ("<f", 4), "FLOAT64": ("<d", 8),
}


class Refused(Exception):
    pass


class Rma:
    def __init__(self, path, writable):
        self.path = path
        with open(path, "r+b" if writable else "rb") as f:
            self.map = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_WRITE if writable else mmap.ACCESS_READ)
        size = len(self.map)
        if size < HEADER:
            raise Refused(f"{path}: {size} bytes, too short for the {HEADER}-byte header")
        if self.map[0:8] != MAGIC:
            raise Refused(f"{path}: magic {self.map[0:8].hex()}, expected {MAGIC.hex()} (RMANEXUS)")
        version, header, count, entry, declared = struct.unpack_from("<IIIIQ", self.map, 8)
        if version != VERSION:
            raise Refused(f"{path}: format version {version}, expected {VERSION}")
        if header != HEADER or entry != ENTRY or declared != size:
            raise Refused(f"{path}: header {header}/{entry} bytes, declared size {declared}, actual {size}")
        self.banks = []
        for i in range(count):
            e = HEADER + i * ENTRY
            offset, bank_size = struct.unpack_from("<QI", self.map, e + 16)
            name = self.map[e + 32:e + 96].split(b"\0", 1)[0].decode("utf-8")
            self.banks.append((i, name, offset, bank_size))

    def bank(self, key):
        for bank in self.banks:
            if key == bank[1] or key == str(bank[0]):
                return bank
        names = ", ".join(b[1] for b in self.banks)
        raise Refused(f"no bank {key!r} (banks: {names})")

    def sequence(self, bank_id):
        return struct.unpack_from("<Qq", self.map, HEADER + bank_id * ENTRY)

    def snapshot(self, bank, offset, length):
        """The read protocol: retry until the sequence is even and unchanged around the copy."""
        bank_id, name, data, size = bank
        check_range(bank, offset, length)
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            before, _ = self.sequence(bank_id)
            if before % 2 == 0:
                copy = bytes(self.map[data + offset:data + offset + length])
                after, written = self.sequence(bank_id)
                if before == after:
                    return copy, before // 2, written
            if time.monotonic() > deadline:
                raise Refused(f"bank {name!r} stays busy (sequence {before} is odd)")

    def write(self, bank, offset, data_bytes, bit=None, bit_value=None):
        """The write protocol for the sole non-CAS writer: wait for even, odd, data, time, even + 2."""
        bank_id, name, data, size = bank
        check_range(bank, offset, len(data_bytes) if bit is None else 1)
        e = HEADER + bank_id * ENTRY
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            seq, _ = self.sequence(bank_id)
            if seq % 2 == 0:
                break
            if time.monotonic() > deadline:
                raise Refused(f"bank {name!r} stays busy (sequence {seq} is odd)")
        struct.pack_into("<Q", self.map, e, seq + 1)
        if bit is None:
            self.map[data + offset:data + offset + len(data_bytes)] = data_bytes
        else:
            old = self.map[data + offset]
            self.map[data + offset] = (old | (1 << bit)) if bit_value else (old & ~(1 << bit) & 0xFF)
        struct.pack_into("<q", self.map, e + 8, time.time_ns())
        struct.pack_into("<Q", self.map, e, seq + 2)


def check_range(bank, offset, length):
    bank_id, name, data, size = bank
    if offset < 0 or offset + length > size:
        raise Refused(f"bytes {offset}..{offset + length} are outside bank {name!r} ({size} bytes)")


def parse_type(text):
    t = text.upper()
    if t.startswith("STRING(") and t.endswith(")"):
        return "STRING", int(t[7:-1])
    if t == "BOOL" or t in TYPES:
        return t, (1 if t == "BOOL" else TYPES[t][1])
    raise Refused(f"unknown type {text!r}: use BOOL, INT8..INT64, UINT8..UINT32, FLOAT32, FLOAT64 or STRING(n)")


def parse_place(text, kind):
    offset, _, bit = text.partition(".")
    offset = int(offset)
    if kind == "BOOL":
        bit = int(bit or 0)
        if not 0 <= bit <= 7:
            raise Refused(f"bit {bit} is not a bit number 0 to 7")
        return offset, bit
    if bit:
        raise Refused(f"only BOOL has a bit number, not {kind}")
    if kind in TYPES and offset % TYPES[kind][1]:
        raise Refused(f"{kind} at byte {offset} is misaligned: use a multiple of {TYPES[kind][1]}")
    return offset, None


def encode(kind, length, text):
    if kind == "STRING":
        raw = text.encode("utf-8")
        if len(raw) > length:
            raise Refused(f"the text is {len(raw)} bytes of UTF-8; STRING({length}) holds at most {length}")
        return raw + b"\0" * (length - len(raw))
    code, size = TYPES[kind]
    if kind.startswith("FLOAT"):
        value = float(text)
        if kind == "FLOAT32" and math.isfinite(value) and abs(value) > 3.4028234663852886e38:
            raise Refused(f"{value} is outside the FLOAT32 range")
        return struct.pack(code, value)
    value = int(text)
    low, high = (0, 2 ** (8 * size) - 1) if kind.startswith("U") else (-2 ** (8 * size - 1), 2 ** (8 * size - 1) - 1)
    if not low <= value <= high:
        raise Refused(f"{value} does not fit {kind} ({low}..{high})")
    return struct.pack(code, value)


def decode(kind, raw, bit):
    if kind == "BOOL":
        return "true" if raw[0] & (1 << bit) else "false"
    if kind == "STRING":
        return raw.split(b"\0", 1)[0].decode("utf-8")
    value = struct.unpack(TYPES[kind][0], raw)[0]
    return repr(value) if kind.startswith("FLOAT") else str(value)


def when(nanos):
    if nanos == 0:
        return "never"
    return datetime.datetime.fromtimestamp(nanos / 1e9, datetime.timezone.utc).isoformat()


def main(argv):
    if len(argv) < 3 or argv[2] not in ("banks", "read", "write", "dump"):
        print(__doc__, file=sys.stderr)
        return 2
    path, command, args = argv[1], argv[2], argv[3:]
    try:
        rma = Rma(path, writable=(command == "write"))
        if command == "banks":
            print(f"{'id':<4}{'name':<10}{'size':<7}{'sequence':<10}last write")
            for bank_id, name, _, size in rma.banks:
                seq, written = rma.sequence(bank_id)
                print(f"{bank_id:<4}{name:<10}{size:<7}{seq // 2:<10}{when(written)}")
        elif command == "dump":
            bank = rma.bank(args[0])
            offset, length = int(args[1]), int(args[2])
            raw, seq, _ = rma.snapshot(bank, offset, length)
            for i in range(0, len(raw), 16):
                line = raw[i:i + 16]
                text = "".join(chr(c) if 32 <= c < 127 else "." for c in line)
                print(f"{offset + i:08x}  {line.hex(' '):<48}  {text}")
        else:
            if len(args) < 3 + (command == "write"):
                print(__doc__, file=sys.stderr)
                return 2
            bank = rma.bank(args[0])
            kind, length = parse_type(args[2])
            offset, bit = parse_place(args[1], kind)
            if command == "read":
                raw, _, _ = rma.snapshot(bank, offset, length)
                print(decode(kind, raw, bit))
            elif kind == "BOOL":
                if args[3].lower() not in ("true", "false", "1", "0"):
                    raise Refused(f"BOOL takes true or false, not {args[3]!r}")
                rma.write(bank, offset, b"", bit=bit, bit_value=args[3].lower() in ("true", "1"))
            else:
                rma.write(bank, offset, encode(kind, length, args[3]))
        return 0
    except (Refused, ValueError, OSError) as e:
        print(f"rma.py: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
