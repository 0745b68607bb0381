"""Who is "a reader", without knowing who: a keyed hash of the day's salt, address and user agent."""

from __future__ import annotations

import hashlib
import hmac
import threading

from django.conf import settings

from . import clock
from .daystore import day_store
from .prune import prune

_salts: dict = {}  # day -> salt, this process's copy of the day's salt
_lock = threading.Lock()


def client_address(request) -> str:
    """``REMOTE_ADDR``, or with ``IMMUNOREF_TRUSTED_PROXIES=N`` proxies in front, the Nth address
    from the right of ``X-Forwarded-For`` (each proxy appends the address it saw). A forged
    header changes nothing by default, and with N proxies only the addresses they added count."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXIES
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    return forwarded[-proxies] if len(forwarded) >= proxies else remote


def todays_salt(day=None) -> str:
    day = day or clock.today()
    with _lock:
        salt = _salts.get(day)
    if salt is None:
        prune(day)  # the first use of a new day in this process: drop the days before
        salt = day_store().salt(day)
        with _lock:
            _salts.clear()  # yesterday's salt leaves this process's memory too
            _salts[day] = salt
    return salt


def keyed(salt: str, *parts: str) -> str:
    message = "\x1f".join(parts).encode("utf-8", "surrogatepass")
    return hmac.new(salt.encode(), message, hashlib.sha256).hexdigest()[:32]


def reader_id(request, day=None) -> str:
    """The same value for the same address and browser today, unlinkable once the salt is gone."""
    return keyed(todays_salt(day), "reader", client_address(request), request.META.get("HTTP_USER_AGENT", ""))


def address_id(request, day=None) -> str:
    return keyed(todays_salt(day), "address", client_address(request))


def forget_salts() -> None:
    with _lock:
        _salts.clear()
