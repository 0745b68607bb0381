"""'Was this page helpful?': answers kept by date, their text with contact details removed.

Limits keep floods out without identifying anyone: per reader and day, a looser one per client
address and day (many readers can share one address), and a cap per entry and day on texts past
which yes/no answers are still counted but texts are dropped (and the drops counted).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.conf import settings

from . import clock, counting, identity
from .daystore import day_store
from .models import FeedbackAnswer, SignalDrop

MAX_TEXT = 1000
REMOVED = "[removed]"
EMAIL = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# A phone number: 7 or more digits, with spaces, dots, dashes, slashes or brackets between them.
PHONE = re.compile(r"(?<![\w.])\+?\(?\d(?:[\s().\-/]{0,3}\d){6,}(?![\w])")
DATE_LIKE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$|^\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}$")


class Refused(Exception):
    def __init__(self, status: int, reason: str = ""):
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass
class Outcome:
    text_kept: bool


def scrub(text: str) -> str:
    """The text as typed, except that e-mail addresses and phone numbers become "[removed]"."""
    text = EMAIL.sub(REMOVED, text)
    return PHONE.sub(lambda match: match.group() if DATE_LIKE.match(match.group()) else REMOVED, text)


def clean_text(raw: str) -> str:
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in {"Cc", "Cs"})
    return text.strip()


def read_answer(form, entry) -> tuple[bool, str, str]:
    """(helpful, section, text) from the posted form, or Refused(400) saying what is wrong."""
    helpful = form.get("helpful", "").strip().lower()
    if helpful not in {"yes", "no"}:
        raise Refused(400, "Please choose Yes or No to say whether the page helped.")
    section = form.get("section", "").strip()
    if section and section not in set(entry.section_ids or ()):
        raise Refused(400, "That section is not on this page. Choose a section from the list, or the whole page.")
    text = clean_text(form.get("text", ""))
    if len(text) > MAX_TEXT:
        raise Refused(400, f"Please keep your comment to {MAX_TEXT:,} characters or fewer.")
    return helpful == "yes", section, text


def record(request, entry, form) -> Outcome:
    helpful, section, text = read_answer(form, entry)
    day = clock.today()
    store = day_store()
    if store.increment(day, "fb-reader:" + identity.reader_id(request, day)) > settings.FEEDBACK_PER_READER:
        raise Refused(429)
    if store.increment(day, "fb-address:" + identity.address_id(request, day)) > settings.FEEDBACK_PER_ADDRESS:
        raise Refused(429)
    kept = bool(text)
    if kept and FeedbackAnswer.objects.filter(slug=entry.slug, day=day).exclude(text="").count() \
            >= settings.FEEDBACK_TEXTS_PER_ENTRY:
        counting.add_counts(SignalDrop, ("day", "kind", "slug"), "count", [(day, "feedback-text", entry.slug, 1)])
        kept = False
    FeedbackAnswer.objects.create(slug=entry.slug, section=section, helpful=helpful,
                                  text=scrub(text) if kept else "", day=day, version=None)
    return Outcome(text_kept=kept)
