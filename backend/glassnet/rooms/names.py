"""Room codes that are easy to read aloud, and anonymous student aliases."""

from __future__ import annotations

import secrets

# No letters or digits that sound or look alike when read out or projected (0/O/Q/D, 1/I/L, 2/Z,
# 5/S, 6/G, 8/B, U/V/W, M/N): 16 symbols, 6 of them give 16.7 million codes.
CODE_ALPHABET = "ACEFHJKPRTXY3479"
CODE_LENGTH = 6
ADJECTIVES = (
    "Amber", "Brave", "Calm", "Clever", "Curious", "Daring", "Eager", "Gentle", "Happy", "Jolly",
    "Keen", "Lively", "Lucky", "Merry", "Nimble", "Patient", "Quick", "Quiet", "Swift", "Witty",
)  # fmt: skip
ANIMALS = (
    "Badger", "Crane", "Dolphin", "Falcon", "Fox", "Gecko", "Heron", "Ibex", "Koala", "Lynx",
    "Marten", "Newt", "Otter", "Owl", "Panda", "Puffin", "Raven", "Seal", "Tapir", "Wren",
)  # fmt: skip


def new_code() -> str:
    """A fresh random room code, e.g. `K4TXRA`."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(code: str) -> str:
    """Codes are typed in any case and with spaces or dashes ("k4t-xra")."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def new_alias(attempt: int) -> str:
    """An anonymous alias; after collisions a number is added so it stays unique."""
    alias = f"{secrets.choice(ADJECTIVES)} {secrets.choice(ANIMALS)}"
    return alias if attempt < 4 else f"{alias} {attempt}"
