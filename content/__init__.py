"""The bundled library: pack source folders (content/core is the core library).

A package only so that it ships inside CaseGuide as caseguide._content (see pyproject.toml);
CaseGuide reads it with importlib.resources. Guides live in the pack folders beneath.
"""
