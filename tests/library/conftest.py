"""Installs, removals and the library need the packs tests' publisher key and pack source."""

from ..packs.conftest import key, source  # noqa: F401 - fixtures, used by name
