#!/usr/bin/env python3
"""Checks a Tributary bundle (Protocol/SPEC.md section 13) with nothing but the station's token.

An independent reader: Python's hashlib/hmac/gzip/json and the `cryptography` package for
Ed25519. Usage:  verify_bundle.py TOKEN FILE   -- prints the header and a content summary,
exits 1 with the error code the SPEC names when the file is refused.
"""
import gzip, hashlib, hmac, json, sys

SALT = b"tributary-bundle-v1"


def hkdf(ikm: bytes, info: bytes, length: int = 32) -> bytes:
    prk = hmac.new(SALT, ikm, hashlib.sha256).digest()
    out, block, counter = b"", b"", 1
    while len(out) < length:
        block = hmac.new(prk, block + info + bytes([counter]), hashlib.sha256).digest()
        out += block
        counter += 1
    return out[:length]


def keys(token: str) -> dict:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    seed = hkdf(token.encode(), b"station-signing")
    public = Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    token_hash = hashlib.sha256(token.encode()).digest()
    mac_key = hkdf(token_hash, b"hub-to-station")
    return {
        "tokenHash": token_hash.hex(),
        "stationPublicKey": public.hex(),
        "macKey": mac_key,
        "keyID": hashlib.sha256(b"key-id" + mac_key).hexdigest()[:16],
    }


class Refused(Exception):
    def __init__(self, code, message):
        super().__init__(f"{code}: {message}")
        self.code = code


def read(token: str, data: bytes):
    magic = b"TRIBUTARY-BUNDLE "
    if not data.startswith(magic):
        raise Refused("bundle_truncated" if data and magic.startswith(data) else "bundle_invalid", "not a bundle")
    first = data.find(b"\n", 0, 64)
    if first < 0:
        raise Refused("bundle_truncated", "ends in the first line")
    if data[len(magic):first] != b"1":
        raise Refused("bundle_version", "format version " + data[len(magic):first].decode(errors="replace"))
    second = data.find(b"\n", first + 1)
    if second < 0:
        raise Refused("bundle_truncated", "ends in the header")
    header = json.loads(data[first + 1:second])
    content = data[second + 1:second + 1 + header["contentLength"]]
    if len(content) < header["contentLength"]:
        raise Refused("bundle_truncated", "content cut short")
    station = header["kind"] == "station"
    algorithm, tag_length = ("ed25519", 64) if station else ("hmac-sha256", 32)
    trailer = data[second + 1 + header["contentLength"]:]
    prefix = b"\n" + algorithm.encode() + b" "
    if len(trailer) < len(prefix) + 2 * tag_length + 1:
        raise Refused("bundle_truncated" if prefix.startswith(trailer[:len(prefix)]) else "bundle_invalid", "trailer")
    if not trailer.startswith(prefix) or len(trailer) != len(prefix) + 2 * tag_length + 1 or not trailer.endswith(b"\n"):
        raise Refused("bundle_invalid", "trailer")
    tag = bytes.fromhex(trailer[len(prefix):-1].decode())
    if hashlib.sha256(content).hexdigest() != header["contentSHA256"]:
        raise Refused("bundle_tampered", "content SHA-256")
    signed = data[:second + 1 + header["contentLength"]]
    k = keys(token)
    if station:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

        if header["key"] != k["stationPublicKey"]:
            raise Refused("bundle_foreign", "signed by another station")
        try:
            Ed25519PublicKey.from_public_bytes(bytes.fromhex(header["key"])).verify(tag, signed)
        except InvalidSignature:
            raise Refused("bundle_tampered", "signature")
    else:
        if header["key"] != k["keyID"]:
            raise Refused("bundle_foreign", "made for another station")
        if not hmac.compare_digest(hmac.new(k["macKey"], signed, hashlib.sha256).digest(), tag):
            raise Refused("bundle_tampered", "MAC")
    return header, json.loads(gzip.decompress(content))


if __name__ == "__main__":
    token, path = sys.argv[1], sys.argv[2]
    try:
        header, body = read(token, open(path, "rb").read())
    except Refused as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(1)
    print(json.dumps(header, ensure_ascii=False, sort_keys=True))
    if header["kind"] == "station":
        print(f"{len(body['changes'])} changes, acked {body['acked']}")
    else:
        print(f"{sum(len(p['changes']) for p in body['pulls'])} changes in {len(body['pulls'])} pull(s), "
              f"log {body['from']}..{body['to']}, acked {body['acked']}, epoch {body['epoch']}")
