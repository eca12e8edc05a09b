"""Full-text search: the per-pack Whoosh indexes kept as a cache (index), searching them exactly or
forgivingly with spelling correction (query), result snippets (snippets) and synonyms (synonyms).
The only package that imports whoosh; nothing here is imported until a search is needed."""
