"""Regenerates float-repr.json: doubles (as IEEE bit patterns) with the text Python's json.dumps writes for them.

python3 tests/vectors/make_float_repr.py > tests/vectors/float-repr.json
"""
import json
import random
import struct

random.seed(20260508)
values = [0.0, -0.0, 1.0, 0.1, 1e15, 1e16, 1e-4, 1e-5, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308,
          9007199254740993.0, 123456789012345680.0, 0.30000000000000004, 1e22, 1e23, 4.35, 2.675]
while len(values) < 4000:
    kind = random.random()
    if kind < 0.5:
        x = struct.unpack("<d", struct.pack("<Q", random.getrandbits(64)))[0]
        if x != x or x in (float("inf"), float("-inf")):
            continue
    elif kind < 0.8:
        x = round(random.uniform(-1e6, 1e6), random.randint(0, 9))
    else:
        x = float(random.randint(-10**17, 10**17)) * 10.0 ** random.randint(-25, 25)
    values.append(x)

cases = [[struct.pack(">d", x).hex(), json.dumps(x)] for x in values]
print('{"contract": "json.dumps(float) for the double with these big-endian IEEE 754 bits",\n "cases": [')
print(",\n".join("  " + json.dumps(case) for case in cases))
print(" ]\n}")
