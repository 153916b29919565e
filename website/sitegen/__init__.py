"""Plain-Python page renderer: catalog + Jinja templates -> Markdown for the static site."""

from sitegen.build import BuildResult, SiteError, build
from sitegen.render import render_pages, write_docs

__all__ = ["BuildResult", "SiteError", "build", "render_pages", "write_docs"]
