"""Typesetting pass over the rendered HTML: the marks, and where a line may not break.

Runs after the layouts and before the direction stage, on every text the pamphlet prints
(content, dedications, covers), except code, and articles whose front matter says
`typography: false`:

- English marks (typography.english_marks), told the characters around each piece of a
  paragraph that markup splits;
- the Name (G-d, G-dliness, L-rd, E-lokim, and Hebrew divine names written with a hyphen,
  maqaf or geresh) is set in one unbreakable, unhyphenated span;
- transliterated terms and names are not hyphenated by English rules: capitalised words
  that read as transliterated (Yisrael, HaMikdash, Galuyos) and the words of the series'
  list and the genre's default list (kibbutz, Moshiach, David …) are set `hyphens: manual`;
- no break after a short title (R' Ovadiah, Mr. Cohen), inside a verse reference
  (Bereishis 12:2–3, pp. 8–13), before a footnote call, or before an operator a line
  would start with; the last two words of a paragraph stay together (no one-word last
  line).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence

from .direction import INLINE, text_language
from .htmltree import Element, text_content
from .typography import Dash, english_marks

NBSP, WJ = "\u00a0", "\u2060"
_SKIP = {"code", "pre", "kbd", "samp", "script", "style", "head", "title"}
_HEBREW = "\u05d0-\u05ea\u0591-\u05c7"
DIVINE_NAME = re.compile(
    r"\b(?:G[-\u2010\u2011]d\w*|L[-\u2010\u2011]rd\w*|E[-\u2010\u2011]lo[hk]\w*"
    r"|A[-\u2010\u2011]do[-\u2010\u2011]?nai|Ado[-\u2010\u2011]nai)(?:['\u2019]s)?"
    rf"|[{_HEBREW}]+[-\u05be\u05f3'][{_HEBREW}]+"
)
# A capitalised word long enough to be hyphenated (7 letters: the layout's
# hyphenate-limit-chars) that reads as transliterated Hebrew or Aramaic: a capital inside
# it (HaMikdash, LeDavid) or an ending English words rarely have (Galuyos, Teshuvah,
# Yisrael, Chassidus, Tzaddikim). English words, capitalised or not, hyphenate as usual.
_TRANSLITERATED = re.compile(
    r"\b[A-Z](?=[A-Za-z]{6})(?:[a-z]+[A-Z][a-z]+|[a-z]+(?:os|im|ah|ael|iel|us|ach|ai|ei|oi))\b"
)
_TITLE = re.compile(r"(?<!\w)(R['\u2019.]|Mr\.|Mrs\.|Ms\.|Dr\.|Rav|Reb) (?=\w)")
_REFERENCE = re.compile(r"(?<=[A-Za-z.]) (?=\d+:\d+)|(?<=\bpp\.) (?=\d)|(?<=\bp\.) (?=\d)")
_RANGE_DASH = re.compile(r"(?<=\d)\u2013(?=\d)")
_OPERATOR = re.compile(r" (?=[=+\u00d7\u00f7\u2212\u00b1<>] )")


def typeset(root: Element, dash: Dash, no_hyphens: Sequence[str]) -> None:
    """Apply the marks and the line-break rules to a whole document."""
    listed = "|".join(re.escape(w) for w in no_hyphens)
    words = re.compile(rf"\b(?:{listed})\b", re.IGNORECASE) if listed else None
    for block, in_article, rtl in _blocks(root):
        _marks(block, dash, english=not rtl and not _mostly_hebrew(block))
        for unit in [block, *_notes(block)]:  # a footnote is set like its own paragraph
            _keep_together(unit)
            _wrap(unit, DIVINE_NAME, "divine-name")
            if in_article:  # the rest of the pamphlet is set without hyphenation
                _wrap(unit, _TRANSLITERATED, "no-hyphens")
                if words:
                    _wrap(unit, words, "no-hyphens")
        if in_article and block.tag in ("p", "li"):
            _last_words_together(block)


# -- Blocks and their text -------------------------------------------------------------------


def _blocks(
    node: Element, in_article: bool = False, rtl: bool = False
) -> Iterator[tuple[Element, bool, bool]]:
    """Every element holding inline content (outside code and switched-off articles),
    whether it is inside an article, and whether its direction is right to left."""
    if node.tag in _SKIP or node.attrs.get("data-typography") == "off":
        return
    in_article = in_article or "article" in node.classes()
    rtl = node.attrs["dir"] == "rtl" if node.attrs.get("dir") else rtl
    if node.tag not in INLINE and any(
        isinstance(c, str) and c.strip() or isinstance(c, Element) and c.tag in INLINE
        for c in node.children
    ):
        yield node, in_article, rtl
    for child in node.children:
        if isinstance(child, Element) and child.tag not in INLINE:
            yield from _blocks(child, in_article, rtl)


def _texts(node: Element) -> Iterator[tuple[Element, int]]:
    """The text nodes of a block's inline content, in order, as (parent, index)."""
    for index, child in enumerate(node.children):
        if isinstance(child, str):
            yield node, index
        elif child.tag in INLINE and child.tag not in _SKIP and not _is_note(child):
            yield from _texts(child)


def _is_note(node: Element) -> bool:
    return "footnote" in node.classes()


def _mostly_hebrew(block: Element) -> bool:
    """A paragraph in Hebrew (more Hebrew letters than Latin ones) keeps its marks."""
    return text_language(text_content(block)) == "he"


def _marks(block: Element, dash: Dash, english: bool) -> None:
    """English marks on each piece, told its neighbours' characters."""
    places = list(_texts(block))
    originals = [parent.children[i] for parent, i in places]
    for n, (parent, index) in enumerate(places):
        before = originals[n - 1][-1:] if n else ""
        after = originals[n + 1][:1] if n + 1 < len(places) else ""
        parent.children[index] = english_marks(originals[n], before, after, dash, english)
    for note in _notes(block):
        _marks(note, dash, english and not _mostly_hebrew(note))


def _notes(node: Element) -> Iterator[Element]:
    for child in node.children:
        if isinstance(child, Element):
            if _is_note(child):
                yield child
            elif child.tag in INLINE:
                yield from _notes(child)


# -- Where a line may not break --------------------------------------------------------------


def _keep_together(block: Element) -> None:
    """No-break spaces after titles, inside references, before operators; no break before
    a footnote call."""
    for parent, index in list(_texts(block)):
        text = parent.children[index]
        text = _TITLE.sub(lambda m: m.group(1) + NBSP, text)
        text = _REFERENCE.sub(NBSP, text)
        text = _RANGE_DASH.sub("\u2013" + WJ, text)
        text = _OPERATOR.sub(NBSP, text)
        parent.children[index] = text
    _join_footnote_calls(block)


def _join_footnote_calls(node: Element) -> None:
    """A footnote call stays on the line of the word before it."""
    for index, child in enumerate(node.children):
        if isinstance(child, Element) and _is_note(child) and index:
            before = node.children[index - 1]
            if isinstance(before, str):
                node.children[index - 1] = before.rstrip(" ") + WJ
        elif isinstance(child, Element) and child.tag in INLINE:
            _join_footnote_calls(child)


def _last_words_together(block: Element) -> None:
    """The last space of a paragraph's text becomes a no-break space (unless the last
    word is too long to share a line), wherever markup splits the text."""
    tail = 0
    for parent, index in reversed(list(_texts(block))):
        text = parent.children[index]
        if tail == 0:
            text = text.rstrip()  # the paragraph's own end
        at = text.rfind(" ")
        if at < 0:
            tail += len(text)
            continue
        if tail + len(text) - at <= 16:
            parent.children[index] = text[:at] + NBSP + parent.children[index][at + 1 :]
        return


def _wrap(block: Element, pattern: re.Pattern[str], css_class: str) -> None:
    """Put each match of the pattern, in the block's text, in a span of the class."""
    for parent, index in reversed(list(_texts(block))):
        if parent.classes() & {"divine-name", "no-hyphens"}:
            continue
        pieces = _split(
            parent.children[index], pattern, lambda m: Element("span", {"class": css_class}, [m])
        )
        parent.children[index : index + 1] = pieces


def _split(text: str, pattern: re.Pattern[str], make: Callable[[str], Element]) -> list:
    pieces: list = []
    last = 0
    for match in pattern.finditer(text):
        if match.start() > last:
            pieces.append(text[last : match.start()])
        pieces.append(make(match.group()))
        last = match.end()
    if last < len(text):
        pieces.append(text[last:])
    return pieces or [text]
