"""CaseGuide's SVG icons, shipped inside the package as caseguide._icons (see pyproject.toml)."""
