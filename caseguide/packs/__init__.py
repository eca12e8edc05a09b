"""Content packs: source folders (source), signed .cgpack files built and checked (archive, minisign),
the atomic store each scope installs into (store), the trusted publishers (trust), and the install and
remove plans the command line and the window call (install). Qt-free."""

SUFFIX = ".cgpack"  # a built, signed pack file
