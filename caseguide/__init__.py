"""CaseGuide: offline know-your-rights guides for people supporting migrants in the UK.

The package is split in two: everything directly under ``caseguide`` is the
Qt-free core (guides, library, rendering, search, paths); ``caseguide.gui`` is
the only place PySide6 is imported.
"""

__version__ = "0.1.0"
APP_NAME = "CaseGuide"
