"""The editor's desk as an ASGI application (Starlette, Jinja2): read-only, one session per request.

Every page answers in HTML, or in JSON at the same address with
`Accept: application/json` or `?format=json`. Pages are rendered on the
server and need no script. Defence in depth around the escaping that Jinja2's
autoescape does: a Content-Security-Policy that allows no script at all and
nothing from elsewhere, sent with every response (static files and refusals
included), and a Host check, whatever address the server listens on, so that a
web page elsewhere cannot reach the desk through DNS rebinding.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlencode

import jinja2
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ledger.errors import NotFound
from ledger.policy import Policy
from ledger.storage.database import Database
from ledger.web import article, overview, pages, rows
from ledger.web.rows import Page, Settings

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")
"""Host names a browser on this computer uses to reach a loopback server."""

CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
    "Vary": "Accept",
}


class SecurityHeaders:
    """ASGI middleware: the security headers on every response that does not set its own.

    Outermost, so that static files, the Host check's refusal and any error
    carry them too, not only the pages the desk renders.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.headers = [
            (name.lower().encode(), value.encode()) for name, value in SECURITY_HEADERS.items()
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _value in message.get("headers", [])}
                extra = [(name, value) for name, value in self.headers if name not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def wants_json(request: Request) -> bool:
    """`?format=json`, or an Accept header that asks for JSON and not for HTML."""
    fmt = request.query_params.get("format")
    if fmt is not None:
        return fmt == "json"
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def json_response(data: Any, status: int = 200) -> Response:
    body = json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"
    return Response(body, status, SECURITY_HEADERS, media_type="application/json")


def _templates() -> Jinja2Templates:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("ledger.web", "templates"),
        autoescape=True,  # every template is HTML; claim text and labels are untrusted
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.globals.update(
        article_url=rows.article_url,
        source_url=rows.source_url,
        claim_url=rows.claim_url,
        show_value=show_value,
        check=check_info,
    )
    return Jinja2Templates(env=environment)


def check_info(code: str) -> Any:
    """The check behind a code, for its title, rule, standard and fix beside the code."""
    from ledger.checks import CHECKS_BY_CODE

    return CHECKS_BY_CODE.get(code)


def show_value(value: Any) -> str:
    """A field value of the audit trail as a short text: strings as they are, the rest as JSON."""
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


class Desk:
    """The request handlers: each opens one read session, builds its page, renders it."""

    def __init__(self, database: Database, settings: Settings) -> None:
        self.database = database
        self.settings = settings
        self.templates = _templates()
        self.summaries = overview.Summaries()

    def warm(self) -> None:
        """Do before the first request what the overview would do on it: count the figures,
        read the sources for pairing, pair the first page's sources, compile the templates.
        The overview then answers at once, however large the ledger."""
        with self.database.read() as session:
            overview.overview(session, self.settings, {}, self.summaries)
        for name in self.templates.env.list_templates(extensions=["html"]):
            self.templates.get_template(name)
        # The sources read for pairing are millions of objects on a large ledger: collect
        # now, so that Python's next full collection (due once a quarter more objects have
        # lasted) does not fall on the first requests.
        gc.collect()

    def respond(self, request: Request, page: Page, status: int = 200) -> Response:
        if wants_json(request):
            return json_response(page.data, status)
        query = {**request.query_params, "format": "json"}
        context = {
            **page.context,
            "title": page.title,
            "internal": self.settings.internal,
            "threshold": self.settings.threshold,
            "json_href": f"{request.url.path}?{urlencode(query)}",
        }
        return self.templates.TemplateResponse(
            request, page.template, context, status_code=status, headers=SECURITY_HEADERS
        )

    def _page(self, request: Request, build: Callable[..., Page], *args: Any) -> Response:
        with self.database.read() as session:
            page = build(session, self.settings, *args)
        return self.respond(request, page)

    def overview(self, request: Request) -> Response:
        return self._page(request, overview.overview, request.query_params, self.summaries)

    def sources(self, request: Request) -> Response:
        return self._page(request, overview.source_list, request.query_params)

    def article(self, request: Request) -> Response:
        return self._page(
            request, article.article_page, request.path_params["slug"], request.query_params
        )

    def source(self, request: Request) -> Response:
        return self._page(request, pages.source_page, request.path_params["key"])

    def claim(self, request: Request) -> Response:
        params = request.path_params
        return self._page(request, article.claim_page, params["slug"], params["key"])

    def report(self, request: Request) -> Response:
        params = request.path_params
        public = request.query_params.get("public", "") in ("1", "true", "yes")
        with self.database.read() as session:
            content, media, filename = article.report_download(
                session, self.settings, params["slug"], params["fmt"], public=public
            )
        headers = {
            **SECURITY_HEADERS,
            "Content-Disposition": f'attachment; filename="{filename}"',
        }
        return Response(content, 200, headers, media_type=media)

    def error(self, request: Request, status: int, message: str) -> Response:
        if wants_json(request):
            return json_response({"error": message, "status": status}, status)
        page = Page(
            "error.html",
            "Not found" if status == 404 else f"Error {status}",
            {"status": status, "message": message},
            {},
        )
        return self.respond(request, page, status)

    async def not_found(self, request: Request, exc: Exception) -> Response:
        return self.error(request, 404, str(exc))

    async def http_error(self, request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        message = "no such page" if exc.status_code == 404 else str(exc.detail)
        return self.error(request, exc.status_code, message)


def create_app(
    database_url: str | None,
    *,
    internal: bool = False,
    threshold: int | None = None,
    policy: Policy | None = None,
    allowed_hosts: Sequence[str] = LOOPBACK_HOSTS,
    warm: bool = True,
) -> Starlette:
    """The web application over the ledger at `database_url` (a path or a SQLAlchemy URL).

    The ledger must exist at the current schema (checked now, so `ledger
    serve` fails at once rather than on the first request). `internal` shows
    internal notes; without it they are dropped from every page, JSON answer
    and report download. `allowed_hosts` are the Host names requests may use
    (never "*": the check stays on whatever address the server listens on).
    `warm`: work out the overview before returning (`Desk.warm`), so that its first
    request is as quick as the next; the application is then ready when this returns.
    """
    from ledger.policy import default_threshold, find_policy

    if "*" in allowed_hosts:
        raise ValueError("allowed_hosts: '*' would turn the Host check off; name the hosts")
    rules = policy if policy is not None else find_policy()
    database = Database.open(database_url)
    desk = Desk(database, Settings(internal, threshold or default_threshold(rules), rules))
    if warm:
        desk.warm()
    routes = [
        Route("/", desk.overview, name="overview"),
        Route("/sources", desk.sources, name="sources"),
        Route("/sources/{key}", desk.source, name="source"),
        Route("/articles/{slug}", desk.article, name="article"),
        Route("/articles/{slug}/report/{fmt}", desk.report, name="report"),
        Route("/claims/{slug}/{key}", desk.claim, name="claim"),
        Mount("/static", StaticFiles(packages=[("ledger.web", "static")]), name="static"),
    ]
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(SecurityHeaders),
            Middleware(
                TrustedHostMiddleware, allowed_hosts=list(allowed_hosts), www_redirect=False
            ),
        ],
        exception_handlers={NotFound: desk.not_found, HTTPException: desk.http_error},
    )
    app.state.database = database
    app.state.desk = desk
    return app
