"""Withdrawing a version that must not be read: its address then answers 410 with the reason."""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.utils import timezone

from ..models import ContentState
from ..content_version import announce
from .models import EntryVersion
from .views import find_history


class WithdrawalError(Exception):
    pass


@transaction.atomic
def withdraw_version(slug: str, number: int, reason: str) -> EntryVersion:
    reason = " ".join((reason or "").split())
    if not reason:
        raise WithdrawalError("give the reason readers will see, e.g. --reason \"The dose of tocilizumab was wrong.\"")
    history, moved_to = find_history(slug)
    if history is None and moved_to:
        history, _ = find_history(moved_to)
    if history is None:
        raise WithdrawalError(f"no entry `{slug}` has recorded versions")
    version = history.versions.filter(number=number).first()
    if version is None:
        latest = history.versions.order_by("-number").values_list("number", flat=True).first()
        raise WithdrawalError(f"`{history.slug}` has no version {number}; its versions are numbered 1 to {latest}")
    if version.withdrawn:
        raise WithdrawalError(f"version {number} of `{history.slug}` was already withdrawn on "
                              f"{version.withdrawn_at:%Y-%m-%d}: {version.withdrawn_reason}")
    version.withdrawn_at, version.withdrawn_reason = timezone.now(), reason
    version.save(update_fields=["withdrawn_at", "withdrawn_reason"])
    # Cached pages (the version, its history, comparisons, feeds) carry the content version in
    # their key and ETag: a new one makes every worker and CDN fetch them again.
    state = ContentState.objects.select_for_update().filter(pk=1).first()
    if state is not None:
        state.version = hashlib.sha256(f"{state.version} withdrawn {history.pk}/{number}".encode()).hexdigest()[:32]
        state.save(update_fields=["version"])
        announce(state.version)
    return version
