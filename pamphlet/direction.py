"""Direction stage (bidi): write out each paragraph's direction and isolate opposite-direction runs.

WeasyPrint has no `dir="auto"`, ignores `unicode-bidi` and lays out the inline boxes of a
line in the paragraph's direction, so a Hebrew phrase split by markup comes out in the
wrong order (docs/direction.md). What does work is one `<span dir>` around the whole run,
markup included. This stage therefore, on the rendered HTML:

1. gives a block that holds text the other direction than the one it inherits only when
   its text is in the other script: at least OTHER_SCRIPT_SHARE of its letters (an
   English paragraph that opens with a Hebrew greeting stays English), or when the
   editor says so (`{dir=rtl}` before a paragraph);
2. resolves the embedding levels of each line of text with python-bidi (markup ignored,
   a footnote or other atomic box counted as one neutral character), and wraps each run
   whose level is above the paragraph's in `<span dir="rtl|ltr">`, splitting and
   re-opening inline markup at the run's edges. A short run (an honorific, a phone
   number, a Hebrew phrase) gets class `bidi-keep`: the layout keeps it on one line.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from bidi import algorithm as uba

from .htmltree import VOID, Element, text_content

INLINE = {
    "a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "del", "dfn", "em", "i", "img",
    "ins", "kbd", "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup",
    "time", "u", "var", "wbr",
}  # fmt: skip
_SKIP = {"head", "style", "script", "title", "meta", "link"}
_RTL_CHAR = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
_LTR_CLASSES = {"L", "EN", "AN"}
_HEBREW_LETTER = re.compile("[\u05d0-\u05ea]")
_LATIN_LETTER = re.compile("[A-Za-z\u00c0-\u024f]")
_FORMAT_CLASSES = {"RLE", "LRE", "RLO", "LRO", "PDF", "BN", "LRI", "RLI", "FSI", "PDI", "B", "S"}
_OBJECT = "\ufffc"
# Written left to right as one unit inside right-to-left text: "(718) 753-6844", "+1 323 934 7095".
_PHONE = re.compile(r"(?:\+\d{1,3}[ -]?)?(?:\(\d{2,4}\) ?)?\d{2,4}(?:[-. ]\d{2,4}){1,3}(?!\d)")
KEEP_TOGETHER = 32  # runs up to this many characters are not broken across lines

Piece = tuple[tuple[Element, ...], "str | Element"]


def isolate_document(root: Element, direction: str) -> None:
    """Apply both steps to a whole document whose root direction is `direction`."""
    _walk_block(root, direction)


OTHER_SCRIPT_SHARE = 0.75  # of a paragraph's letters, for it to take the other direction


def paragraph_direction(text: str, inherited: str) -> str:
    """A paragraph's direction: the inherited one (the article's, the issue's), unless
    its letters are overwhelmingly in the other script (Hebrew for a left-to-right
    paragraph, Latin for a right-to-left one)."""
    hebrew = len(_HEBREW_LETTER.findall(text))
    latin = len(_LATIN_LETTER.findall(text))
    if not hebrew + latin:
        return inherited
    other = hebrew if inherited == "ltr" else latin
    if other >= OTHER_SCRIPT_SHARE * (hebrew + latin):
        return "rtl" if inherited == "ltr" else "ltr"
    return inherited


def first_strong_direction(text: str) -> str | None:
    """'ltr' or 'rtl' from the first strong character, None if there is none."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return None


def text_language(text: str) -> str | None:
    """'he' when a text has more Hebrew letters than Latin ones, 'en' for the reverse."""
    hebrew = len(_HEBREW_LETTER.findall(text))
    latin = len(_LATIN_LETTER.findall(text))
    if hebrew == latin:
        return None
    return "he" if hebrew > latin else "en"


def _walk_block(element: Element, inherited: str) -> None:
    if element.tag in _SKIP:
        return
    direction = element.attrs.get("dir") or inherited
    groups = list(_split_blocks(element.children))
    if "dir" not in element.attrs and element.tag != "#document":
        inline_text = "".join(
            _plain_text(n) for is_block, nodes in groups if not is_block for n in nodes
        )
        detected = paragraph_direction(inline_text, inherited)
        if detected != inherited:
            element.attrs["dir"] = direction = detected
            if language := text_language(inline_text):
                element.attrs["lang"] = language
    children: list = []
    for is_block, nodes in groups:
        if is_block:
            for node in nodes:
                if isinstance(node, Element):
                    _walk_block(node, direction)
            children.extend(nodes)
        else:
            children.extend(_isolate_inline(nodes, direction))
    element.children = children


def _split_blocks(nodes: list) -> Iterator[tuple[bool, list]]:
    """Group children into runs of inline content and single block elements."""
    inline: list = []
    for node in nodes:
        if isinstance(node, Element) and node.tag not in INLINE:
            if inline:
                yield False, inline
                inline = []
            yield True, [node]
        else:
            inline.append(node)
    if inline:
        yield False, inline


def _is_atom(node: Element) -> bool:
    """Inline boxes that are laid out as one unit: notes, images, explicit directions."""
    return (
        node.tag in VOID or "dir" in node.attrs or "footnote" in node.classes() or not node.children
    )


def _plain_text(node: Element | str) -> str:
    """The text that counts for a paragraph's direction (footnote bodies excluded)."""
    if isinstance(node, str):
        return node
    if _is_atom(node):
        return ""
    return "".join(_plain_text(c) for c in node.children)


def _isolate_inline(nodes: list, direction: str) -> list:
    """Isolate runs in inline content, line by line (a <br> ends a line)."""
    out: list = []
    line: list = []
    for node in nodes:
        if isinstance(node, Element) and node.tag == "br":
            out.extend(_isolate_line(line, direction))
            out.append(node)
            line = []
        else:
            line.append(node)
    out.extend(_isolate_line(line, direction))
    return out


def _isolate_line(nodes: list, direction: str) -> list:
    pieces = list(_flatten(nodes, ()))
    for _, leaf in pieces:
        if isinstance(leaf, Element) and leaf.children:
            _walk_block(leaf, direction)
    text = "".join(leaf if isinstance(leaf, str) else _OBJECT for _, leaf in pieces)
    if not _has_opposite(text, direction):
        return nodes
    base = 1 if direction == "rtl" else 0
    levels = embedding_levels(text, direction)
    if direction == "rtl":
        levels = _phone_numbers_ltr(text, levels)
    runs = _runs(levels, base)
    if not runs:
        return nodes
    return _rebuild(_split_by_runs(pieces, runs), direction)


def _flatten(nodes: list, stack: tuple[Element, ...]) -> Iterator[Piece]:
    for node in nodes:
        if isinstance(node, str):
            if node:
                yield stack, node
        elif _is_atom(node):
            yield stack, node
        else:
            yield from _flatten(node.children, stack + (node,))


def _has_opposite(text: str, direction: str) -> bool:
    if direction == "ltr":
        return bool(_RTL_CHAR.search(text))
    return any(unicodedata.bidirectional(c) in _LTR_CLASSES for c in text)


def embedding_levels(text: str, direction: str) -> list[int]:
    """Resolved embedding level of every character, by the Unicode Bidirectional
    Algorithm: python-bidi's rules W1–W7, N1–N2 and I1–I2, with the paired-bracket rule
    N0 (BD16) applied between them, which python-bidi's legacy module leaves out."""
    clean = "".join(" " if unicodedata.bidirectional(c) in _FORMAT_CLASSES else c for c in text)
    storage = uba.get_empty_storage()
    storage["base_level"] = 1 if direction == "rtl" else 0
    storage["base_dir"] = "R" if direction == "rtl" else "L"
    uba.get_embedding_levels(clean, storage)
    uba.explicit_embed_and_overrides(storage)
    uba.resolve_weak_types(storage)
    for run in storage["runs"]:
        chars = storage["chars"][run["start"] : run["start"] + run["length"]]
        resolve_paired_brackets(chars, run["sor"], storage["base_level"])
    uba.resolve_neutral_types(storage, False)
    uba.resolve_implicit_levels(storage, False)
    return [c["level"] for c in storage["chars"]]


# Bidi_Paired_Bracket pairs (UCD BidiBrackets.txt) of the scripts the fonts carry.
BRACKETS = {"(": ")", "[": "]", "{": "}", "\u2045": "\u2046", "\u207d": "\u207e",
            "\u208d": "\u208e", "\u2308": "\u2309", "\u230a": "\u230b", "\u2329": "\u232a",
            "\u3008": "\u3009"}  # fmt: skip
_CLOSING = {close: open_ for open_, close in BRACKETS.items()}
_EQUIVALENT = {"\u2329": "\u3008", "\u232a": "\u3009"}  # canonically equivalent brackets


def bracket_pairs(chars: list[dict]) -> list[tuple[int, int]]:
    """BD16: the positions of each opening bracket and its closing one, in order."""
    stack: list[tuple[str, int]] = []
    pairs = []
    for index, char in enumerate(chars):
        ch = _EQUIVALENT.get(char["ch"], char["ch"])
        if char["type"] != "ON":
            continue
        if char["ch"] in BRACKETS:
            if len(stack) == 63:
                break
            stack.append((_EQUIVALENT.get(BRACKETS[char["ch"]], BRACKETS[char["ch"]]), index))
        elif char["ch"] in _CLOSING:
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth][0] == ch:
                    pairs.append((stack[depth][1], index))
                    del stack[depth:]
                    break
    return sorted(pairs)


def resolve_paired_brackets(chars: list[dict], sor: str, level: int) -> None:
    """N0: each bracket pair takes the embedding direction if it holds a strong type of
    that direction; else the opposite direction if it holds one and the text before it
    has it too; else the embedding direction. (EN and AN count as R.)"""
    embedding = "R" if level % 2 else "L"
    for opening, closing in bracket_pairs(chars):
        inside = {_strong(c["type"]) for c in chars[opening + 1 : closing]} - {None}
        if not inside:
            continue
        if embedding in inside:
            chosen = embedding
        else:
            before = next((s for c in reversed(chars[:opening]) if (s := _strong(c["type"]))), sor)
            chosen = before if before != embedding else embedding
        for index in (opening, closing):
            chars[index]["type"] = chosen
            for mark in chars[index + 1 :]:  # NSMs after a bracket follow it
                if unicodedata.bidirectional(mark["ch"]) != "NSM":
                    break
                mark["type"] = chosen


def _strong(bidi_type: str) -> str | None:
    if bidi_type == "L":
        return "L"
    return "R" if bidi_type in ("R", "AL", "EN", "AN") else None


def _phone_numbers_ltr(text: str, levels: list[int]) -> list[int]:
    """Make each phone number one left-to-right run, brackets and all."""
    for match in _PHONE.finditer(text):
        if any(c.isspace() or c in "-.(" for c in match.group()):
            for i in range(match.start(), match.end()):
                levels[i] = max(levels[i], 2)
    return levels


def _runs(levels: list[int], base: int) -> list[tuple[int, int]]:
    """Maximal [start, end) ranges whose level is above the paragraph's."""
    runs: list[tuple[int, int]] = []
    start = None
    for i, level in enumerate(levels + [base]):
        if level > base and start is None:
            start = i
        elif level <= base and start is not None:
            runs.append((start, i))
            start = None
    return runs


def _split_by_runs(
    pieces: list[Piece], runs: list[tuple[int, int]]
) -> list[tuple[int | None, Piece]]:
    """Cut text pieces at run edges and tag each piece with its run (or None)."""
    run_of = {}
    for k, (start, end) in enumerate(runs):
        for i in range(start, end):
            run_of[i] = k
    out: list[tuple[int | None, Piece]] = []
    offset = 0
    for stack, leaf in pieces:
        if not isinstance(leaf, str):
            out.append((run_of.get(offset), (stack, leaf)))
            offset += 1
            continue
        begin = 0
        for i in range(1, len(leaf) + 1):
            if i == len(leaf) or run_of.get(offset + i) != run_of.get(offset + begin):
                out.append((run_of.get(offset + begin), (stack, leaf[begin:i])))
                begin = i
        offset += len(leaf)
    return out


def _rebuild(tagged: list[tuple[int | None, Piece]], direction: str) -> list:
    """Write the pieces back as nodes: a span per run, inline markup re-opened as needed."""
    run_dir = "ltr" if direction == "rtl" else "rtl"
    root: list = []
    open_keys: list[tuple] = []
    open_nodes: list[Element] = []
    runs: list[Element] = []
    for run, (stack, leaf) in tagged:
        keys = ([("run", run)] if run is not None else []) + [("el", id(e)) for e in stack]
        sources = ([None] if run is not None else []) + list(stack)
        keep = 0
        while keep < min(len(open_keys), len(keys)) and open_keys[keep] == keys[keep]:
            keep += 1
        del open_keys[keep:], open_nodes[keep:]
        for key, source in zip(keys[keep:], sources[keep:], strict=True):
            node = (
                source.shallow_copy() if source is not None else Element("span", {"dir": run_dir})
            )
            if source is None:
                runs.append(node)
            (open_nodes[-1].children if open_nodes else root).append(node)
            open_keys.append(key)
            open_nodes.append(node)
        target = open_nodes[-1].children if open_nodes else root
        if isinstance(leaf, str) and target and isinstance(target[-1], str):
            target[-1] += leaf
        else:
            target.append(leaf)
    for span in runs:
        span.children = _isolate_inline(span.children, run_dir)
        text = text_content(span)
        if len(text) <= KEEP_TOGETHER:
            span.attrs["class"] = "bidi-keep"
        if language := text_language(text):
            span.attrs["lang"] = language  # screen readers switch voice; the PDF tags it
    return root
