"""The editors' report: reads, helpful or not, what readers wrote, and what searches found nothing."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, Sum

from ..models import Entry
from . import clock
from .models import EntryReadDay, FeedbackAnswer, SignalDrop, ZeroResultQuery

READ_DAYS = 30
TOP = 20


def reader_report(since: dt.date | None = None) -> dict:
    """Per published entry: reads in the last 30 days, yes/no answers since its last review (or
    ``since``), and the feedback texts; the entries most often found unhelpful for their reads; the
    most frequent zero-result queries (since ``since``, else the 90 days they are kept)."""
    today = clock.today()
    reads = dict(EntryReadDay.objects.filter(day__gte=today - dt.timedelta(days=READ_DAYS - 1))
                 .values("slug").annotate(total=Sum("reads")).values_list("slug", "total"))
    entries = []
    for entry in Entry.objects.published().only("slug", "title", "reviewed").order_by("title"):
        start = since or entry.reviewed
        answers = FeedbackAnswer.objects.filter(slug=entry.slug, day__gte=start)
        votes = answers.aggregate(yes=Count("id", filter=Q(helpful=True)), no=Count("id", filter=Q(helpful=False)))
        feedback = [{"date": answer.day.isoformat(), "section": answer.section,
                     "helpful": "yes" if answer.helpful else "no", "text": answer.text}
                    for answer in answers.exclude(text="").order_by("-day", "-id")]
        entries.append({"slug": entry.slug, "title": entry.title, "reads_30d": reads.get(entry.slug, 0),
                        "helpful_yes": votes["yes"], "helpful_no": votes["no"], "feedback": feedback})
    unhelpful = sorted((item for item in entries if item["helpful_no"]),
                       key=lambda item: (-item["helpful_no"] / max(item["reads_30d"], 1), item["slug"]))[:TOP]
    queries = ZeroResultQuery.objects.all()
    if since:
        queries = queries.filter(day__gte=since)
    zero = [{"query": query, "count": count} for query, count in
            queries.values("query").annotate(total=Sum("count")).order_by("-total", "query").values_list("query", "total")[:TOP * 5]]
    drops = [{"date": day.isoformat(), "kind": kind, "slug": slug, "count": count} for day, kind, slug, count in
             SignalDrop.objects.filter(day__gte=since or today - dt.timedelta(days=READ_DAYS - 1))
             .order_by("-day", "kind", "slug").values_list("day", "kind", "slug", "count")]
    return {"generated": today.isoformat(), "since": since.isoformat() if since else None, "entries": entries,
            "most_unhelpful": [{"slug": item["slug"], "helpful_no": item["helpful_no"], "reads_30d": item["reads_30d"]}
                               for item in unhelpful],
            "zero_result_queries": zero, "dropped": drops}


def as_text(report: dict) -> str:
    lines = [f"Reader report, {report['generated']}" + (f" (since {report['since']})" if report["since"] else "")]
    lines.append("")
    lines.append("Reads in the last 30 days, and answers to 'Was this page helpful?':")
    for item in sorted(report["entries"], key=lambda item: (-item["reads_30d"], item["title"])):
        lines.append(f"  {item['reads_30d']:>6} reads  {item['helpful_yes']:>3} yes  {item['helpful_no']:>3} no  "
                     f"{item['title']} ({item['slug']})")
        for answer in item["feedback"]:
            where = f"#{answer['section']}" if answer["section"] else "whole page"
            text = " ".join(answer["text"].split())
            lines.append(f"           {answer['date']} {answer['helpful']:>3} {where}: {text}")
    lines.append("")
    lines.append("Most 'no' answers for their reads:")
    lines += [f"  {item['helpful_no']} no / {item['reads_30d']} reads  {item['slug']}" for item in report["most_unhelpful"]]
    lines += ["  (none)"] if not report["most_unhelpful"] else []
    lines.append("")
    lines.append("Searches that found nothing (asked by at least the minimum number of readers a day):")
    lines += [f"  {item['count']:>5}  {item['query']}" for item in report["zero_result_queries"]]
    lines += ["  (none)"] if not report["zero_result_queries"] else []
    if report["dropped"]:
        lines.append("")
        lines.append("Not kept (limits):")
        lines += [f"  {item['date']} {item['kind']} {item['slug']}: {item['count']}" for item in report["dropped"]]
    return "\n".join(lines) + "\n"
