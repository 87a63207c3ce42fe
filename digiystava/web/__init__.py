"""The web layer: server-rendered pages (Jinja templates, gettext, no inline script), and what every
HTTP handler shares: the caller, a list's page and the answer's language (``params``), documents sent
as files (``downloads``), and errors as problem details or error pages (``problems``)."""
