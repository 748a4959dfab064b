"""Weekly pamphlet publishing pipeline: content and dedications in, print-ready PDF out.

The stages, in the order the data flows (docs/pipeline.md): sources (read files) →
schema and model (validate, with locations) → dates and dedications → markdown →
render (Jinja2 layouts) → typography and direction → pdf (pages) → files (write).
`pipeline` runs them; `cli` is the only place that talks to the user.
"""

__version__ = "0.2.0"
