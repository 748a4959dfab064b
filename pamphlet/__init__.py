"""Weekly pamphlet publishing pipeline: content and dedications in, print-ready PDF out.

The stages, one module each, in the order the data flows:
sources (read files) → schema/model (validate, build the issue) → markdown (articles to
HTML) → render (Jinja2 layouts) → bidi (direction runs) → pdf (WeasyPrint) → write.
`pipeline.build_issue` runs them; `cli` is the only place that talks to the user.
"""

__version__ = "0.1.0"
