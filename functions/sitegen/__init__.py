"""Plain-Python page renderer: catalog + Jinja templates -> Markdown for the static site."""
