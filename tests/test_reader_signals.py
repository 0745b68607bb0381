"""Reader signals (issue 15): reads, "Was this page helpful?", zero-result queries; tracking no one."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from freezegun import freeze_time

from encyclopedia.readers import feedback, identity, queries, reads
from encyclopedia.readers.models import (
    DailySalt, EntryReadDay, FeedbackAnswer, ReaderMark, SignalDrop, ZeroResultQuery,
)
from encyclopedia.readers.prune import prune

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36"
FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def loaded(content, load):
    load(content)
    identity.forget_salts()
    reads.buffer.pending.clear()
    return content


def post(client, path, body="", *, content_type=FORM, site="same-origin", agent=BROWSER, **headers):
    extra = {"HTTP_USER_AGENT": agent, **headers}
    if site is not None:
        extra["HTTP_SEC_FETCH_SITE"] = site
    return client.generic("POST", path, body, content_type=content_type, **extra)


def read(client, slug="crs", address="203.0.113.7", agent=BROWSER, **headers):
    return post(client, "/signals/read/", f"slug={slug}", agent=agent, REMOTE_ADDR=address, **headers)


def reads_of(slug: str) -> int:
    reads.buffer.flush()
    return sum(EntryReadDay.objects.filter(slug=slug).values_list("reads", flat=True))


# ---- Reads -------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_a_read_counts_once_per_reader_entry_and_day(loaded, client):
    for _ in range(3):
        assert read(client).status_code == 204
    assert read(client, address="198.51.100.1").status_code == 204
    assert read(client, agent=BROWSER.replace("130", "131")).status_code == 204  # another browser, same address
    assert read(client, slug="overview").status_code == 204
    assert reads_of("crs") == 3 and reads_of("overview") == 1
    read(client)  # still the same reader and day: flushed again, nothing added
    assert reads_of("crs") == 3


@pytest.mark.django_db
def test_the_next_day_the_same_reader_counts_again_and_yesterdays_salt_is_gone(loaded, client):
    with freeze_time("2026-12-03 23:59:00"):
        read(client)
        assert reads_of("crs") == 1
        assert DailySalt.objects.filter(day=dt.date(2026, 12, 3)).exists()
        assert ReaderMark.objects.filter(day=dt.date(2026, 12, 3)).count() == 1
    with freeze_time("2026-12-04 00:00:30"):
        read(client)
        assert reads_of("crs") == 2
        # The daily prune ran when the new day's salt was made: nothing of the day before remains
        # that could link a stored value to a reader.
        assert list(DailySalt.objects.values_list("day", flat=True)) == [dt.date(2026, 12, 4)]
        assert set(ReaderMark.objects.values_list("day", flat=True)) == {dt.date(2026, 12, 4)}
    assert dict(EntryReadDay.objects.values_list("day", "reads")) == {dt.date(2026, 12, 3): 1, dt.date(2026, 12, 4): 1}


@pytest.mark.django_db
def test_stored_values_hold_no_address_or_user_agent(loaded, client):
    read(client, address="192.0.2.55")
    post(client, "/entries/crs/feedback/", "helpful=no&text=hello", REMOTE_ADDR="192.0.2.55")
    reads.buffer.flush()
    stored = json.dumps([list(model.objects.values_list()) for model in
                         (DailySalt, ReaderMark, EntryReadDay, FeedbackAnswer)], default=str)
    assert "192.0.2.55" not in stored and "Chrome" not in stored


@pytest.mark.django_db
def test_crawlers_and_empty_user_agents_are_not_counted(loaded, client):
    read(client, agent="Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)")
    read(client, agent="")
    read(client, agent="curl/8.5.0", address="198.51.100.9")
    assert reads_of("crs") == 0


@pytest.mark.django_db
def test_an_unknown_or_draft_entry_is_404(loaded, client, content, load):
    assert read(client, slug="no-such-entry").status_code == 404
    content.entry("secret", draft=True)
    load(content)
    assert read(client, slug="secret").status_code == 404
    assert reads_of("secret") == 0


@pytest.mark.django_db
def test_a_full_buffer_drops_reads_and_counts_what_it_dropped(loaded, client, monkeypatch):
    monkeypatch.setattr(reads.buffer, "limit", 2)
    for number in range(5):
        read(client, address=f"198.51.100.{number}")
    assert reads_of("crs") == 2
    assert SignalDrop.objects.get(kind="read-buffer-full").count == 3


@pytest.mark.django_db
def test_a_stopped_database_drops_counts_and_logs_never_failing_the_reader(loaded, client, monkeypatch, caplog):
    from django.db import OperationalError

    read(client)

    def broken(*args, **kwargs):
        raise OperationalError("the database is stopped")

    monkeypatch.setattr(reads.counting, "add_counts", broken)
    assert reads.buffer.flush() == 0
    assert "not counted" in caplog.text
    monkeypatch.undo()
    assert read(client, address="198.51.100.77").status_code == 204  # and counting goes on afterwards
    assert reads_of("crs") == 1


@pytest.mark.django_db
def test_the_client_address_comes_from_x_forwarded_for_only_behind_trusted_proxies(loaded, client, settings, rf):
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    assert identity.client_address(request) == "10.0.0.1"  # default: a forged header changes nothing
    settings.TRUSTED_PROXIES = 1
    assert identity.client_address(request) == "203.0.113.9"
    settings.TRUSTED_PROXIES = 2
    assert identity.client_address(request) == "6.6.6.6"
    settings.TRUSTED_PROXIES = 3
    assert identity.client_address(request) == "10.0.0.1"  # fewer addresses than proxies: the peer
    settings.TRUSTED_PROXIES = 0
    for forged in ("1.1.1.1", "2.2.2.2", "3.3.3.3"):
        read(client, HTTP_X_FORWARDED_FOR=forged)
    assert reads_of("crs") == 1


# ---- Most read and latest ------------------------------------------------------------------------

@pytest.mark.django_db
def test_home_lists_most_read_this_month_and_latest_entries(loaded, client, settings):
    today = dt.date.today()
    EntryReadDay.objects.create(slug="crs", day=today, reads=8)
    EntryReadDay.objects.create(slug="crs", day=today - dt.timedelta(days=29), reads=4)
    EntryReadDay.objects.create(slug="overview", day=today - dt.timedelta(days=30), reads=50)  # outside 30 days
    page = client.get("/").content.decode()
    assert 'id="most-read"' in page and 'id="latest-entries"' in page
    most_read = page.split('id="most-read"')[1].split("</ol>")[0]
    assert "Cytokine release syndrome" in most_read and "Immune cell infusion" not in most_read


@pytest.mark.django_db
def test_most_read_needs_ten_reads_and_its_time_bucket_is_in_the_home_pages_etag(loaded, client):
    EntryReadDay.objects.create(slug="crs", day=dt.date.today(), reads=9)
    assert 'id="most-read"' not in client.get("/").content.decode()
    with freeze_time(dt.datetime.now() + dt.timedelta(hours=1)):
        first = client.get("/")
        assert client.get("/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
        entry_etag = client.get("/entries/crs/")["ETag"]
    EntryReadDay.objects.filter(slug="crs").update(reads=10)
    with freeze_time(dt.datetime.now() + dt.timedelta(hours=2)):
        again = client.get("/")
        assert again["ETag"] != first["ETag"]  # a new bucket: browsers and caches see the new list
        assert 'id="most-read"' in again.content.decode()
        assert client.get("/entries/crs/")["ETag"] == entry_etag  # other pages keep theirs


# ---- Was this page helpful? ----------------------------------------------------------------------

@pytest.mark.django_db
def test_every_entry_has_a_plain_feedback_form(loaded, client):
    page = client.get("/entries/crs/").content.decode()
    form = page.split('id="feedback-form"')[1].split("</form>")[0]
    assert 'method="post"' in page.split('id="feedback-form"')[0][-200:] + form[:100] or 'method="post"' in page
    assert 'action="/entries/crs/feedback/"' in page
    for field in ('name="helpful" value="yes"', 'name="helpful" value="no"', 'name="section"', 'name="text"',
                  'value="grading"', "cannot reply", "care team", "emergency"):
        assert field in form, field
    assert "csrf" not in form.lower()


@pytest.mark.django_db
def test_feedback_is_stored_with_contact_details_removed_and_the_date_only(loaded, client):
    text = "Dose wrong. Mail me at jane.doe@example.org or call +44 20 7946 0958 / (555) 123-4567. Seen 2026-12-01."
    response = post(client, "/entries/crs/feedback/", f"helpful=no&section=grading&text={text.replace('+', '%2B')}")
    assert response.status_code == 200 and "Thank you" in response.content.decode()
    answer = FeedbackAnswer.objects.get()
    assert (answer.slug, answer.section, answer.helpful, answer.day) == ("crs", "grading", False, dt.date.today())
    assert answer.text == "Dose wrong. Mail me at [removed] or call [removed] / [removed]. Seen 2026-12-01."
    assert "no-store" in response["Cache-Control"] and not response.cookies


@pytest.mark.django_db
def test_feedback_answers_in_place_for_scripts(loaded, client):
    response = post(client, "/entries/crs/feedback/", "helpful=yes", HTTP_ACCEPT="application/json")
    assert response.status_code == 200 and response.json() == {"ok": True, "text_kept": False}


@pytest.mark.django_db
@pytest.mark.parametrize("body, message", [
    ("text=hi", "Yes or No"), ("helpful=maybe", "Yes or No"), ("helpful=yes&section=nowhere", "not on this page"),
    ("helpful=yes&text=" + "x" * 1001, "1,000 characters"),
])
def test_bad_feedback_gets_a_clear_400_page(loaded, client, body, message):
    response = post(client, "/entries/crs/feedback/", body)
    assert response.status_code == 400 and message in response.content.decode()
    assert not FeedbackAnswer.objects.exists()


@pytest.mark.django_db
def test_feedback_markup_is_stored_as_typed_and_always_escaped(loaded, client):
    hostile = '<script>alert(1)</script><img src=x onerror=alert(2)>'
    post(client, "/entries/crs/feedback/", "helpful=no&text=" + hostile.replace("&", "%26"))
    assert FeedbackAnswer.objects.get().text == hostile
    out = StringIO()
    call_command("readerreport", stdout=out)
    assert hostile in out.getvalue()  # the report is plain text; it is never rendered as HTML
    assert "<script>alert" not in client.get("/entries/crs/").content.decode()


@pytest.mark.django_db
def test_feedback_floods_are_limited_per_reader_per_address_and_per_entry(loaded, client, settings):
    settings.FEEDBACK_PER_READER = 3
    statuses = [post(client, "/entries/crs/feedback/", "helpful=no&text=x").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    refused = post(client, "/entries/crs/feedback/", "helpful=no")
    assert refused.status_code == 429 and "tomorrow" in refused.content.decode()
    # Many readers behind one address: a looser limit per address.
    settings.FEEDBACK_PER_READER, settings.FEEDBACK_PER_ADDRESS = 100, 6
    codes = [post(client, "/entries/overview/feedback/", "helpful=yes", agent=f"{BROWSER} r{n}").status_code
             for n in range(5)]
    assert codes == [200, 200, 200, 429, 429]  # 3 + 3 from this address before, then refused


@pytest.mark.django_db
def test_past_an_entrys_daily_cap_texts_are_dropped_and_counted_but_answers_kept(loaded, client, settings):
    settings.FEEDBACK_TEXTS_PER_ENTRY = 2
    for number in range(4):
        response = post(client, "/entries/crs/feedback/", f"helpful=no&text=comment {number}",
                        REMOTE_ADDR=f"198.51.100.{number}")
        assert response.status_code == 200
    assert FeedbackAnswer.objects.count() == 4
    assert sorted(FeedbackAnswer.objects.values_list("text", flat=True)) == ["", "", "comment 0", "comment 1"]
    assert SignalDrop.objects.get(kind="feedback-text", slug="crs").count == 2


@pytest.mark.django_db
def test_feedback_texts_are_deleted_after_the_set_days_and_answers_kept(loaded, client, settings):
    settings.FEEDBACK_DAYS = 180
    with freeze_time("2026-01-01 12:00"):
        post(client, "/entries/crs/feedback/", "helpful=no&text=old comment")
    with freeze_time("2026-06-29 12:00"):  # 179 days later
        prune()
        assert FeedbackAnswer.objects.get().text == "old comment"
    with freeze_time("2026-07-01 12:00"):
        prune()
        answer = FeedbackAnswer.objects.get()
        assert answer.text == "" and answer.helpful is False


# ---- Searches that found nothing -----------------------------------------------------------------

@pytest.mark.django_db
def test_a_zero_result_query_is_stored_only_once_three_readers_asked_it(loaded, client):
    for number in range(2):
        post(client, "/signals/no-results/", "q=Dr+Smith+at+St+Mary", REMOTE_ADDR=f"198.51.100.{number}")
        post(client, "/signals/no-results/", "q=Dr+Smith+at+St+Mary", REMOTE_ADDR=f"198.51.100.{number}")
    assert not ZeroResultQuery.objects.exists()
    assert "smith" not in json.dumps(list(ReaderMark.objects.values_list("key", flat=True))).lower()
    post(client, "/signals/no-results/", "q=%C3%A7ell+th%C3%A9rapy", REMOTE_ADDR="198.51.100.5")
    post(client, "/signals/no-results/", "q=CELL  Therapy", REMOTE_ADDR="198.51.100.6")
    post(client, "/signals/no-results/", "q=cell therapy", REMOTE_ADDR="198.51.100.7")
    post(client, "/signals/no-results/", "q=cell therapy", REMOTE_ADDR="198.51.100.8")
    assert list(ZeroResultQuery.objects.values_list("query", "count")) == [("cell therapy", 4)]


def test_queries_are_normalised_for_case_spacing_and_accents():
    assert queries.normalise("  Céllules\tCAR  T ") == "cellules car t"
    assert queries.normalise("") == ""


@pytest.mark.django_db
def test_zero_result_queries_expire_after_90_days(loaded):
    ZeroResultQuery.objects.create(query="old", day=dt.date(2026, 1, 1), count=3)
    ZeroResultQuery.objects.create(query="recent", day=dt.date(2026, 3, 1), count=3)
    prune(dt.date(2026, 4, 5))
    assert list(ZeroResultQuery.objects.values_list("query", flat=True)) == ["recent"]


# ---- The endpoints' gate -------------------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("path, body", [("/signals/read/", "slug=crs"), ("/signals/no-results/", "q=x"),
                                        ("/entries/crs/feedback/", "helpful=yes")])
def test_forged_or_missing_origins_are_refused(loaded, client, path, body):
    assert post(client, path, body, site="cross-site").status_code == 403
    assert post(client, path, body, site="same-site").status_code == 403
    assert post(client, path, body, site=None).status_code == 403  # neither header
    assert post(client, path, body, site=None, HTTP_ORIGIN="https://evil.example").status_code == 403
    assert post(client, path, body, site=None, HTTP_ORIGIN="null").status_code == 403
    assert post(client, path, body, site="cross-site", HTTP_ORIGIN="http://127.0.0.1:8000").status_code == 403
    assert post(client, path, body, site=None, HTTP_ORIGIN="http://127.0.0.1:8000").status_code in (200, 204)
    assert post(client, path, body, site=None, HTTP_ORIGIN="http://testserver").status_code in (200, 204)


@pytest.mark.django_db
def test_wrong_type_size_method_or_encoding_is_refused(loaded, client):
    assert post(client, "/signals/read/", '{"slug": "crs"}', content_type="application/json").status_code == 415
    assert post(client, "/signals/read/", "slug=crs", content_type="text/plain").status_code == 415
    assert post(client, "/signals/read/", "slug=crs&pad=" + "x" * 2100).status_code == 413
    assert post(client, "/entries/crs/feedback/", "helpful=no&text=" + "x" * 8200).status_code == 413
    assert post(client, "/signals/read/", b"slug=\xff\xfe").status_code == 400
    assert client.get("/signals/read/").status_code == 405
    assert post(client, "/signals/read/", "slug=crs", content_type=FORM + "; charset=UTF-8").status_code == 204
    responses = [post(client, "/signals/read/", "slug=crs"), post(client, "/signals/read/", "x=1", site="cross-site")]
    assert all(not response.cookies for response in responses)


@pytest.mark.django_db
def test_readerreport_json_for_scripts(loaded, client):
    read(client)
    post(client, "/entries/crs/feedback/", "helpful=no&section=grading&text=Grades unclear")
    post(client, "/entries/crs/feedback/", "helpful=yes", REMOTE_ADDR="198.51.100.3")
    reads.buffer.flush()
    out = StringIO()
    call_command("readerreport", "--format", "json", stdout=out)
    report = json.loads(out.getvalue())
    crs = next(item for item in report["entries"] if item["slug"] == "crs")
    assert crs["reads_30d"] == 1 and crs["helpful_yes"] == 1 and crs["helpful_no"] == 1
    assert crs["feedback"] == [{"date": dt.date.today().isoformat(), "section": "grading", "helpful": "no",
                                "text": "Grades unclear"}]
    assert report["zero_result_queries"] == []
    text = StringIO()
    call_command("readerreport", stdout=text)
    assert "Grades unclear" in text.getvalue() and "#grading" in text.getvalue()


@pytest.mark.django_db
def test_readerreport_refuses_a_bad_date_in_one_line(loaded):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("readerreport", "--since", "yesterday")


def test_scrub_keeps_doses_and_dates():
    assert feedback.scrub("8 mg/kg, max 800 mg on 03/12/2026; 1,000 cells") == "8 mg/kg, max 800 mg on 03/12/2026; 1,000 cells"
    assert feedback.scrub("ring 07700 900123") == "ring [removed]"


@pytest.mark.django_db
def test_with_a_shared_cache_the_days_salt_and_marks_live_there_not_in_tables(loaded, client, settings):
    settings.SHARED_CACHE = True
    identity.forget_salts()
    read(client)
    read(client)
    read(client, address="198.51.100.2")
    for number in range(3):
        post(client, "/signals/no-results/", "q=unfound words", REMOTE_ADDR=f"198.51.100.{number}")
    assert reads_of("crs") == 2
    assert list(ZeroResultQuery.objects.values_list("query", "count")) == [("unfound words", 3)]
    assert not DailySalt.objects.exists() and not ReaderMark.objects.exists()
