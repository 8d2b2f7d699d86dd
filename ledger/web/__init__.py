"""The editor's desk: a local, read-only web view of the ledger (`ledger serve`).

`app.create_app` builds the ASGI application (Starlette, Jinja2 templates).
`pages` (overview, sources) and `article` (article, claim, report downloads)
gather each page's data from the query layer and the report model, on the
building blocks of `rows`: no SQL here, no second copy of the rules or of the
chain wording. `marks` lays claim quotes over the article text; `privacy`
keeps internal notes out unless the server runs `--internal`. Templates and
the style sheet ship inside the package.
"""
