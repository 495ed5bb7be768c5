"""Same-machine reference for bench/Mesa.Benchmarks: the Python way to canonicalise + sign the same envelope.

Canonical bytes the way the protocol defines them (json.dumps with sorted keys, no whitespace, no ASCII escaping,
no NaN), Ed25519 from the `cryptography` package. Run it right after the BenchmarkDotNet suite so both see the
same machine load:  python3 bench/reference/canonicalise_sign.py
"""
import json
import timeit
import uuid
from datetime import datetime, timezone

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

KEY = Ed25519PrivateKey.from_private_bytes(bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"))
PAYLOAD = {
    "summary": "Dataset licence: EU and US news archive, 12 months",
    "terms": {"fee_total_usd": 40000, "term_months": 12, "discount_pct": 7.5, "scope": ["EU", "US"], "dpa_attached": True},
}


def envelope():
    return {
        "id": "evt_" + uuid.uuid4().hex,
        "parent_id": None,
        "timestamp": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "type": "offer",
        "emitted_by": "11fcd05e5fb1496da15eb51e6dad67fe",
        "deliberation_id": "9054c21921ac41d89c815dc85122d719",
        "payload": PAYLOAD,
    }


def canonical(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode("utf-8")


BYTES = canonical(envelope())
CASES = {
    "sign only": lambda: KEY.sign(BYTES),
    "canonicalise only": lambda: canonical(envelope()),
    "canonicalise + sign": lambda: KEY.sign(canonical(envelope())).hex(),
}

if __name__ == "__main__":
    results = {}
    for name, case in CASES.items():
        runs = 5000
        results[name] = min(timeit.repeat(case, number=runs, repeat=7)) / runs * 1e6
    base = results["sign only"]
    for name, micros in results.items():
        print(f"{name:22} {micros:8.2f} us   ratio {micros / base:5.2f}")
