"""The placeholder essay a new week starts with (`python build.py new`), in the series'
language: valid front matter and one paragraph, for the editor to replace. A build warns
while it is still there; `import --into` takes its place."""

from __future__ import annotations

PLACEHOLDER = "essays/essay.md"  # where `new` puts it, in the issue folder
PLACEHOLDER_ESSAYS = {
    "en": """\
---
# Fill in the essay's heading; kicker: (a line above it), lead: (an italic opening
# paragraph) and source: (the closing line) may be added.
title: The essay's title
---

The essay's text, in Markdown: a blank line between paragraphs.
""",
    "he": """\
---
# כותרת המאמר; אפשר להוסיף kicker:, lead: ו־source:
title: כותרת המאמר
---

כאן בא המאמר.
""",
}


def is_placeholder(text: str) -> bool:
    """Whether an article's text is still the placeholder, as `new` wrote it."""
    return text.replace("\r\n", "\n") in PLACEHOLDER_ESSAYS.values()
