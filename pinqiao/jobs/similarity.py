"""Near-duplicate detection for postings (JOB-9): 64-bit SimHash over character shingles.

Two postings whose fingerprints differ in at most :data:`MAX_DISTANCE` bits are near
duplicates. The fingerprint is split into four 16-bit bands stored in indexed columns: by the
pigeonhole principle two fingerprints within 3 bits share at least one band exactly, so the
candidates come from an index lookup, not a scan.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

MAX_DISTANCE = 3
SHINGLE = 3
_STRIP = re.compile(r"[\W_]+", re.UNICODE)


def _tokens(text: str) -> list[str]:
    text = _STRIP.sub("", unicodedata.normalize("NFKC", text).lower())
    if len(text) <= SHINGLE:
        return [text] if text else []
    return [text[i : i + SHINGLE] for i in range(len(text) - SHINGLE + 1)]


def _hash64(token: str) -> int:
    return int.from_bytes(hashlib.blake2b(token.encode(), digest_size=8).digest(), "big")


def simhash(text: str) -> int | None:
    """The unsigned 64-bit SimHash of ``text``, or None for text without letters."""
    tokens = _tokens(text)
    if not tokens:
        return None
    weights = [0] * 64
    counts: dict[str, int] = {}
    for token in tokens:
        counts[token] = counts.get(token, 0) + 1
    for token, count in counts.items():
        value = _hash64(token)
        for bit in range(64):
            weights[bit] += count if value >> bit & 1 else -count
    return sum(1 << bit for bit in range(64) if weights[bit] > 0)


def to_signed(value: int) -> int:
    """Store an unsigned 64-bit value in a signed BIGINT column."""
    return value - (1 << 64) if value >= 1 << 63 else value


def to_unsigned(value: int) -> int:
    return value + (1 << 64) if value < 0 else value


def bands(value: int) -> tuple[int, int, int, int]:
    return tuple((value >> (16 * i)) & 0xFFFF for i in range(4))  # type: ignore[return-value]


def distance(a: int, b: int) -> int:
    return (to_unsigned(a) ^ to_unsigned(b)).bit_count()
