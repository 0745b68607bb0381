"""The Nu Html Checker finds no errors in any page type, as the server sends it."""

import pytest
from django.conf import settings

from tests.browser_kit import page_types, validate_html

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.mark.django_db
def test_every_page_type_is_valid_html(load, client, tmp_path):
    load(settings.BASE_DIR / "content")
    documents = {}
    for name, path in page_types().items():
        response = client.get(path)
        assert response.status_code in {200, 404}, path
        documents[f"{name} ({path})"] = response.content.decode()
    errors = validate_html(documents, tmp_path)
    assert not errors, "\n".join(f"{name}:\n  " + "\n  ".join(found) for name, found in errors.items())


@pytest.mark.django_db
def test_drafts_and_a_removed_entry_are_valid_html_too(content, load, client, settings, tmp_path):
    settings.DEBUG = True
    content.entry("draft-one", title="A draft <em>title</em> & more", draft=True,
                  body="Text [@june2018]. See [[overview]] and [[crs]].\n")
    load(content)
    settings.DEBUG = False
    content.remove("draft-one.md")
    load(content)
    documents = {"removed entry": client.get("/entries/draft-one/").content.decode()}
    settings.DEBUG = True
    documents["small entry"] = client.get("/entries/crs/").content.decode()
    errors = validate_html(documents, tmp_path)
    assert not errors, errors
