"""Server-rendered pages: Jinja templates, gettext, no inline script."""
