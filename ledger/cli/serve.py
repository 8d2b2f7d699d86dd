"""`ledger serve`: the editor's desk, a read-only web view of the ledger, on this computer.

Starlette, uvicorn and Jinja2 are imported inside the command only, so that
`ledger --help` stays fast. The listening socket is bound here, before the
server starts, so that a port already in use is one line and exit code 2, and
`--port 0` can pick a free port and say which.

The Host check stays on whatever address the server listens on: a request must
name this computer's loopback names, the `--host` address, or a name given with
`--allowed-host`. Beyond loopback the desk is open to whoever can reach it (it
has no logins yet), and it says so when it starts.
"""

import ipaddress
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Annotated

import typer

from ledger.cli._common import (
    DbOption,
    LedgerTyper,
    PolicyOption,
    ThresholdOption,
    console,
    err_console,
    policy_in_force,
    threshold_or_default,
)
from ledger.wording import excerpt

if TYPE_CHECKING:
    import socket

LOOPBACK_NAMES = ("localhost",)
_HOST_NAME = re.compile(r"(\*\.)?[a-z0-9_]([a-z0-9_.-]{0,251}[a-z0-9_])?")


def register(app: LedgerTyper) -> None:
    """Add `serve` to the top-level app."""
    app.command("serve")(serve)


def is_loopback(host: str) -> bool:
    """True when only this computer can reach `host`: 127.0.0.0/8, ::1, or localhost."""
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def host_name(name: str, option: str = "--allowed-host") -> str:
    """`name` as the Host check compares it (lowercase, an IPv6 address in brackets),
    or a one-line refusal naming the option: no port, no scheme, never "*"."""
    from ledger.errors import InvalidInput

    folded = name.strip().lower()
    if folded == "*":
        raise InvalidInput(
            f"{option}: '*' would let any host name in (the DNS rebinding the Host check "
            "stops); name each host the desk is reached by"
        )
    try:
        address = ipaddress.ip_address(folded.strip("[]"))
    except ValueError:
        if _HOST_NAME.fullmatch(folded) is None:
            shown = folded if len(folded) <= 80 else folded[:80] + "…"
            raise InvalidInput(
                f"{option}: {shown!r} is not a host name or an address "
                "(give it without scheme, port or path, e.g. desk.newsroom.example)"
            ) from None
        return folded
    return f"[{address.compressed}]" if address.version == 6 else address.compressed


def desk_hosts(host: str, allowed: Iterable[str] = ()) -> list[str]:
    """The Host names requests may use: loopback names, the --host address, `allowed`."""
    from ledger.web.app import LOOPBACK_HOSTS

    names = [*LOOPBACK_HOSTS, host_name(host, "--host")]
    names.extend(host_name(name) for name in allowed)
    return list(dict.fromkeys(names))


def _bind(host: str, port: int) -> "socket.socket":
    """A listening socket on host:port, or a one-line refusal (exit code 2)."""
    import socket

    from ledger.errors import InvalidInput

    try:
        family, kind, proto, _name, address = socket.getaddrinfo(
            host.strip("[]"), port, type=socket.SOCK_STREAM
        )[0]
        listener = socket.socket(family, kind, proto)
    except (OSError, UnicodeError) as exc:
        raise InvalidInput(f"--host: cannot use {excerpt(host)}: {exc}") from None
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(address)
        listener.listen(128)
    except OSError as exc:
        listener.close()
        reason = exc.strerror or str(exc)
        raise InvalidInput(
            f"cannot listen on {host}:{port}: {reason} (choose another with --port)"
        ) from None
    return listener


def serve(
    host: Annotated[
        str,
        typer.Option(
            "--host",
            help="Address to listen on. The default, 127.0.0.1, lets only this computer in.",
        ),
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", min=0, max=65535, help="Port to listen on; 0 picks a free one.")
    ] = 8000,
    internal: Annotated[
        bool,
        typer.Option(
            "--internal", help="Show internal notes on sources and claims (hidden by default)."
        ),
    ] = False,
    allowed_host: Annotated[
        list[str] | None,
        typer.Option(
            "--allowed-host",
            metavar="NAME",
            help="Another host name or address browsers use to reach the desk (repeatable); "
            "requests naming any other host are refused, whatever --host is.",
        ),
    ] = None,
    policy: PolicyOption = None,
    threshold: ThresholdOption = None,
    db: DbOption = None,
) -> None:
    """Serve the editor's desk: a read-only web view of the ledger, in any browser.

    Pages: the ledger overview, each article with its quotes highlighted and
    its claims filterable, each source, each claim with its history. Every
    page is also JSON (?format=json). Sealed identities are never shown.
    Stop with Ctrl+C.
    """
    import uvicorn

    from ledger.web.app import create_app

    loopback = is_loopback(host)
    allowed = desk_hosts(host, allowed_host or ())
    rules = policy_in_force(policy)
    application = create_app(
        db,
        internal=internal,
        threshold=threshold_or_default(threshold, rules),
        policy=rules,
        allowed_hosts=allowed,
    )
    listener = _bind(host, port)
    bound = listener.getsockname()[1]
    shown = f"[{host.strip('[]')}]" if ":" in host else host
    out = console()
    out.print(f"Editor's desk: http://{shown}:{bound}/", soft_wrap=True, markup=False)
    out.print(f"ledger: {application.state.database.display_url}", soft_wrap=True, markup=False)
    if loopback:
        out.print(f"Listening on {host} (loopback): only this computer can open it.", markup=False)
    else:
        err_console().print(
            f"warning: listening on {host}, beyond this computer: the desk has no logins yet, "
            "so anyone who can reach it can read the ledger "
            "(the default --host 127.0.0.1 keeps it on this computer).",
            style="bold yellow",
            soft_wrap=True,
            markup=False,
        )
    notes = "internal notes shown (--internal)" if internal else "internal notes hidden"
    out.print(f"Read-only; {notes}; sealed identities never shown. Ctrl+C stops.", markup=False)
    out.print(
        f"Host names accepted: {', '.join(allowed)} (add others with --allowed-host).",
        soft_wrap=True,
        markup=False,
    )
    config = uvicorn.Config(application, log_level="warning", access_log=False, lifespan="off")
    try:
        uvicorn.Server(config).run(sockets=[listener])
    except KeyboardInterrupt:
        pass
    finally:
        listener.close()
        application.state.database.dispose()
    out.print("stopped", style="dim")
