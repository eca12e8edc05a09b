"""The library a person sees: which packs make it (bundled, machine-wide, their own), how it is
found, and the changes to it (installs, removals), with lint and the shelf. Above packs/ and guides/;
search/ and the window build on it."""

from .library import Library

__all__ = ["Library"]
