"""The printable handout of an entry: its part for patients, laid out for A4 and US Letter.

Clinicians hand patients paper. The handout holds the title, the review dates, the entry's
"Signs to report at once" in a box at the top, the part for patients, the glossary terms it
uses, its references as a short numbered list (the numbers of the page), and a QR code of the
page's full address, which is printed in full beside it. The browser's "Save as PDF" makes a PDF.
"""

from __future__ import annotations

import segno
from django.conf import settings
from django.utils.safestring import mark_safe

from . import page_parts


def qr_svg(address: str) -> str:
    """An inline ``<svg class="qr">`` holding ``address`` (segno: a maintained QR encoder)."""
    code = segno.make(address, error="m")
    return code.svg_inline(scale=3, border=2, svgclass="qr", lineclass=None, omitsize=False,
                           title=f"QR code for {address}")


def handout_context(entry) -> dict:
    parts = page_parts.split_body(entry.body_html)
    patients = page_parts.without_heading_anchors(parts.patients)
    signs, patients = page_parts.take_section(patients, page_parts.SIGNS_ID)
    numbers = {key: number for number, (key, _item) in enumerate(parts.references, start=1)}
    references = [(numbers[key], key, item) for key, item in page_parts.cited(parts.patients, parts.references)]
    address = settings.BASE_URL + entry.get_absolute_url()
    return {
        "signs_html": mark_safe(signs),  # stored HTML, sanitized at load time
        "patients_html": mark_safe(patients),
        "terms": [(key, mark_safe(term), mark_safe(definition))
                  for key, term, definition in page_parts.used_terms(parts.patients, parts.terms)],
        "references": [(number, key, mark_safe(item)) for number, key, item in references],
        "address": address,
        "qr_svg": mark_safe(qr_svg(address)),
    }
