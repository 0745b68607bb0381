"""``/infobutton/``: the HL7 URL-based Infobutton entry point (as MedlinePlus Connect offers).

A record system sends the code of a problem (``mainSearchCriteria.v.c``) and its code system
(``mainSearchCriteria.v.cs``, an OID) and gets the entries that explain it: a redirect to the
entry (or to the list when several do), or JSON with ``knowledgeResponseType=application/json``.

Only four parameters are read.  A request carrying anything else (an EHR may attach the patient's
age, sex or identifiers) is redirected at once to the same address without it, with
``Cache-Control: no-store``, so those details reach no cache and no page built from it.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from ..models import Entry
from .codes import ICD10CM, OID_OF, OIDS, SYSTEMS, normal_code

CODE = "mainSearchCriteria.v.c"
SYSTEM = "mainSearchCriteria.v.cs"
NAME = "mainSearchCriteria.v.dn"
RESPONSE_TYPE = "knowledgeResponseType"
READ = (CODE, SYSTEM, NAME, RESPONSE_TYPE)
JSON_TYPE = "application/json"
HTML_TYPES = ("", "text/html")
MAX_VALUE = 200  # characters of any parameter kept; longer values are cut by the redirect
MAX_CODE = 40


class Answer(Exception):
    """A clear answer that is not a list of entries: a status and what to tell the caller."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def _clean_query(request) -> str | None:
    """The query string with only the parameters read, each once; None when it is that already."""
    kept = {}
    for key in READ:
        values = request.GET.getlist(key)
        if values:
            kept[key] = values[0][:MAX_VALUE]
    clean = urlencode(kept)
    unchanged = (set(request.GET) <= set(READ) and all(len(request.GET.getlist(key)) == 1 for key in request.GET)
                 and all(len(value) <= MAX_VALUE for value in kept.values()))
    return None if unchanged else clean


def _key(system: str, code: str) -> str:
    return code.replace(".", "") if system == ICD10CM else code


def matching_entries(system: str, code: str) -> list[Entry]:
    """Visible entries listing ``code`` or a code below it (or above it: a parent explains its family)."""
    wanted = _key(system, code)
    found = []
    entries = (Entry.objects.visible(include_drafts=settings.DEBUG).filter(codes__0__isnull=False)
               .only("slug", "title", "summary", "codes", "draft").order_by("title", "slug"))
    for entry in entries:
        for item in entry.codes:
            if item.get("system") != system:
                continue
            have = _key(system, item.get("code", ""))
            if have == wanted or (system == ICD10CM and (have.startswith(wanted) or wanted.startswith(have))):
                found.append(entry)
                break
    return found


def _criteria(params) -> tuple[str, str]:
    """(system, code) from the request, or Answer(400) saying what is missing or wrong."""
    oid = params.get(SYSTEM, "").strip()
    raw = params.get(CODE, "").strip()
    if not raw:
        raise Answer(400, f"Send the code in `{CODE}` and its code system in `{SYSTEM}`.")
    if not oid:
        raise Answer(400, f"Send the code system in `{SYSTEM}`: {_systems()}.")
    if oid not in OIDS:
        raise Answer(400, f"ImmunoRef does not know the code system `{oid[:64]}`; it reads {_systems()}.")
    system = OIDS[oid]
    code = normal_code(system, raw) if len(raw) <= MAX_CODE else None
    if code is None:
        raise Answer(400, f"`{raw[:MAX_CODE]}` is not written as a {SYSTEMS[system]} code.")
    return system, code


def _systems() -> str:
    return " or ".join(f"{oid} ({SYSTEMS[system]})" for oid, system in OIDS.items())


def _response_type(params) -> str:
    wanted = params.get(RESPONSE_TYPE, "").strip().lower()
    if wanted not in (JSON_TYPE, *HTML_TYPES):
        raise Answer(400, f"`{RESPONSE_TYPE}` may be text/html (the default) or application/json.")
    return wanted


def _entry_item(entry: Entry) -> dict:
    return {"slug": entry.slug, "title": entry.title, "url": settings.BASE_URL + entry.get_absolute_url()}


@require_safe
def infobutton(request):
    clean = _clean_query(request)
    if clean is not None:  # drop what is not read before anything else sees it
        response = HttpResponseRedirect(reverse("infobutton") + (f"?{clean}" if clean else ""))
        response["Cache-Control"] = "no-store"
        response["Referrer-Policy"] = "no-referrer"
        return response
    params = {key: request.GET.get(key, "") for key in READ}
    wants_json = params[RESPONSE_TYPE].strip().lower() == JSON_TYPE
    try:
        _response_type(params)
        system, code = _criteria(params)
        entries = matching_entries(system, code)
        if not entries:
            raise Answer(404, f"No ImmunoRef entry explains {SYSTEMS[system]} {code}.")
    except Answer as answer:
        return _problem(request, answer, params, wants_json)
    if wants_json:
        return JsonResponse({"system": OID_OF[system], "code": code, "entries": [_entry_item(e) for e in entries]})
    if len(entries) == 1:
        return HttpResponseRedirect(entries[0].get_absolute_url())
    return HttpResponseRedirect(reverse("infobutton-list", args=[system, code]))


def _problem(request, answer: Answer, params: dict, wants_json: bool):
    if wants_json:
        return JsonResponse({"entries": [], "message": answer.message}, status=answer.status)
    name = params.get(NAME, "").strip()[:MAX_VALUE]
    return render(request, "encyclopedia/infobutton.html", {
        "message": answer.message, "name": name,
        "search_url": reverse("search") + "?" + urlencode({"q": name}) if name else "",
    }, status=answer.status)


@require_safe
def infobutton_list(request, system: str, code: str):
    """The entries explaining a code, when more than one does."""
    normal = normal_code(system, code) if system in SYSTEMS and len(code) <= MAX_CODE else None
    entries = matching_entries(system, normal) if normal else []
    if not entries:
        message = f"No ImmunoRef entry explains {SYSTEMS.get(system, 'the code')} {code[:MAX_CODE]}."
        return render(request, "encyclopedia/infobutton.html", {"message": message}, status=404)
    return render(request, "encyclopedia/infobutton.html", {
        "entries": entries, "system_name": SYSTEMS[system], "code": normal,
    })
