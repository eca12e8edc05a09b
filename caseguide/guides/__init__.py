"""Guides: the content model (model), the library of installed packs (library), Markdown to safe HTML
and text (render), client handouts (handout), and the checks a pack source passes before it ships
(lint, readability). Qt-free."""
