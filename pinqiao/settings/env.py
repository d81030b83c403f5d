"""Reading configuration from the environment."""

import os


def env(name: str, default: str) -> str:
    """Return the environment variable ``name`` or ``default``."""
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    """Return a boolean environment variable: 1/true/yes/on are true."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}
