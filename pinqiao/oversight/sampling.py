"""The draw itself (双随机, Shandong notice 三(三)): weighted sampling without replacement that a
seed reproduces exactly.

Efraimidis–Spirakis (A-ES, 2006): each member gets the key ``log(u) / w`` with ``u`` uniform in
(0, 1] from ``random.Random(seed)``, taken in id order; the ``size`` largest keys are the
sample. With equal weights this is a uniform sample; a member of weight 3 is about three times
as likely to be drawn as one of weight 1 (more checks of high-risk subjects). Python's Mersenne
Twister with an integer seed gives the same stream on every platform and version since 3.2, so
the stored seed and population redraw the same sample.

Inspectors are the second 随机: the sampled objects are dealt to the chosen inspectors in an
order shuffled by a generator seeded from the same seed, so the assignment repeats too.
"""

from __future__ import annotations

import math
import random
import secrets
from collections.abc import Sequence

#: Seeds are stored in a signed 64-bit column.
SEED_MAX = 2**63 - 1


def new_seed() -> int:
    """A fresh seed from the operating system's generator (recorded with the draw)."""
    return secrets.randbits(63)


def risk_weight(*, risk_score: int, credit_score: int) -> float:
    """1 for a subject with no risk and a clean credit record, up to 11 for the worst: each 10
    points of risk score and each 10 points lost from the credit score add 0.5 (三(三): 对有不良
    信用记录、风险高的要加大抽查力度)."""
    return 1.0 + max(risk_score, 0) / 20 + max(100 - credit_score, 0) / 20


def draw_sample(population: Sequence[tuple[int, float]], size: int, seed: int) -> list[int]:
    """The ids of ``size`` members of ``population`` (``(id, weight)`` pairs), in draw order.

    Raises ``ValueError`` for a size below one or above the population, or a weight that is not
    positive; callers check first and give the user a clear refusal."""
    if size < 1 or size > len(population):
        raise ValueError("sample size outside 1..population")
    if not 0 <= seed <= SEED_MAX:
        raise ValueError("seed outside 0..2**63-1")
    rng = random.Random(seed)
    keyed = []
    for member_id, weight in sorted(population):
        if weight <= 0:
            raise ValueError("weights must be positive")
        u = 1.0 - rng.random()  # in (0, 1]
        keyed.append((math.log(u) / weight, member_id))
    keyed.sort(key=lambda pair: (-pair[0], pair[1]))
    return [member_id for _, member_id in keyed[:size]]


def deal_inspectors(item_ids: Sequence[int], inspector_ids: Sequence[int],
                    seed: int) -> dict[int, int]:
    """Each sampled item → an inspector: items shuffled by the seed, inspectors (in id order)
    dealt round-robin, so every inspector gets an equal share (±1) and the deal repeats."""
    if not inspector_ids:
        raise ValueError("no inspectors")
    order = sorted(item_ids)
    random.Random(seed ^ 0x5EED).shuffle(order)
    inspectors = sorted(inspector_ids)
    return {item: inspectors[i % len(inspectors)] for i, item in enumerate(order)}
