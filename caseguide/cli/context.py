"""What every command shares: the settings (read once per command), whether this is a shared PC,
and the library a command reads."""

from __future__ import annotations

SHARED_NOTE = "This is a shared PC: only what your organisation installed for everyone is used."


def command(commands, name: str, function, **kwargs):
    """Add the subcommand *name*, run by *function(args)*; returns its parser."""
    parser = commands.add_parser(name, **kwargs)
    parser.set_defaults(run=function)
    return parser


def current_settings(args):
    """The settings, read once per command."""
    if getattr(args, "current_settings", None) is None:
        from ..settings import Settings
        args.current_settings = Settings()
    return args.current_settings


def shared(args) -> bool:
    """True on a shared PC: then only what staff installed machine-wide is read."""
    return current_settings(args).shared_mode


def library(args):
    from ..library import Library
    return Library.discover(args.library, machine_only=shared(args))


def catalogues(args):
    """Where an install or update lists the installed library from: the catalogues cached with the
    search index (so a library of thousands of guides is not read file by file to install one pack);
    None on a shared PC, whose cache is not trusted."""
    if shared(args):
        return None
    from .. import paths
    from ..search.cache import CatalogueCache
    return CatalogueCache(paths.index_cache_dir())
