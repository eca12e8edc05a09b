"""Synthetic libraries of realistic, guide-sized English text, written as pack source folders.

Words follow a Zipf distribution over a vocabulary of real English (the words of the bundled guides
plus common function words), so term statistics look like real guides.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

FUNCTION_WORDS = ("the a of to and in is you for that it on are be this with as can your or if not by "
                  "they from at have may will do an was their has any what when who how all more").split()
KINDS = ("rights", "walkthrough", "explainer")
NATIONS_CHOICES = ("uk", "uk", "england", "scotland", "wales", "northern-ireland")  # most guides hold UK-wide
TOPICS = ("health", "data-sharing", "data-rights", "hostile-environment", "settled-status", "advice",
          "phones", "computers")


def vocabulary(content: Path) -> list[str]:
    words = []
    for path in sorted(content.rglob("*.md")):
        words += re.findall(r"[a-z]{3,}", path.read_text(encoding="utf-8").lower())
    ranked = [w for w, _ in sorted({w: words.count(w) for w in set(words)}.items(), key=lambda i: -i[1])]
    return FUNCTION_WORDS + [w for w in ranked if w not in FUNCTION_WORDS]


class Writer:
    def __init__(self, vocab: list[str], seed: int = 7):
        self.vocab = vocab
        self.random = random.Random(seed)
        weights = [1 / (rank + 1) for rank in range(len(vocab))]  # Zipf
        self.weights = weights

    def words(self, n: int) -> list[str]:
        return self.random.choices(self.vocab, weights=self.weights, k=n)

    def sentence(self) -> str:
        words = self.words(self.random.randint(6, 16))
        return " ".join(words).capitalize() + "."

    def guide(self, number: int) -> str:
        r = self.random
        title = " ".join(self.words(r.randint(3, 7))).capitalize()
        summary = " ".join(self.sentence() for _ in range(2))
        parts = [f"## {' '.join(self.words(3)).capitalize()}\n\n" + " ".join(self.sentence() for _ in range(5))]
        for _ in range(r.randint(3, 5)):
            parts.append(f"## {' '.join(self.words(r.randint(2, 5))).capitalize()}")
            parts.append(" ".join(self.sentence() for _ in range(r.randint(3, 7))))
            if r.random() < 0.5:
                parts.append("\n".join(f"- {self.sentence()}" for _ in range(r.randint(2, 5))))
        front = (f"---\nid: synthetic-{number}\ntitle: \"{title}\"\nsummary: \"{summary}\"\n"
                 f"kind: {r.choice(KINDS)}\ntopics: [{r.choice(TOPICS)}]\nlanguage: en\nnations: [{r.choice(NATIONS_CHOICES)}]\n"
                 f"reviewed: 2026-11-01\nreview_due: 2027-05-01\nsources:\n"
                 f"  - title: Source\n    url: https://example.org/{number}\n---\n")
        return front + "\n\n".join(parts) + "\n"


def write_library(root: Path, guides: int, vocab: list[str], pack_id: str = "synthetic") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "pack.toml").write_text(f'id = "{pack_id}"\nversion = "1.0"\ntitle = "Synthetic"\n'
                                    'publisher = "Benchmark"\nlanguages = ["en"]\n', encoding="utf-8")
    writer = Writer(vocab)
    for n in range(guides):
        folder = root / "guides" / f"{n // 500:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"g{n}.md").write_text(writer.guide(n), encoding="utf-8")
    return root
