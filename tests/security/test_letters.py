"""Letter templates typed by staff are text: their HTML reaches the PDF as visible characters,
and WeasyPrint may load nothing but the project's own static files."""

import http.server
import threading
from pathlib import Path

import pytest
from django.conf import settings

from grants.models import Decision, LetterKind, LetterTemplate
from grants.services import letters
from tests.factories import S, advance, draft

HOSTILE = (
    '<img src="file:///proc/self/environ"> <link rel="stylesheet" href="{url}">'
    '<img src="{url}"> {{{{ title }}}}'
)


class _Counter(http.server.BaseHTTPRequestHandler):
    hits = 0

    def do_GET(self):
        type(self).hits += 1
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def listener():
    """A server on loopback that counts requests: the PDF engine must never call it."""
    _Counter.hits = 0
    server = http.server.HTTPServer(("127.0.0.1", 0), _Counter)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/x.png", _Counter
    server.shutdown()


def test_pdf_engine_fetches_no_url_and_reads_no_file(listener):
    url, counter = listener
    html = f'<html><body><p>Text</p><img src="{url}"><img src="file:///etc/passwd"></body></html>'

    pdf = letters.html_to_pdf(html)

    assert pdf.startswith(b"%PDF")
    assert counter.hits == 0


def test_fetcher_refuses_files_outside_static_and_serves_static():
    fetcher = letters._static_only_fetcher()
    own = (Path(settings.BASE_DIR) / "static" / "css" / "foerderportal.css").resolve()

    for refused in [
        "file:///etc/passwd",
        "file:///proc/self/environ",
        f"file://{own.parent}/../../config/settings.py",
        "http://127.0.0.1/",
        "https://example.org/x.css",
        "ftp://example.org/x",
    ]:
        with pytest.raises(ValueError):
            fetcher.fetch(refused)
    assert b"htmx-indicator" in fetcher.fetch(own.as_uri()).read()


@pytest.mark.django_db
def test_staff_template_html_is_printed_as_text(world, listener, monkeypatch):
    url, counter = listener
    application = draft(world)
    application.title = "Café <b>& Co</b>"
    application.save(update_fields=["title"])
    app = advance(application, world, S.APPROVED)
    # The legal remedy is configured text of the programme: printed, never run.
    world.programme.legal_remedy = "<script>x</script>"
    world.programme.save(update_fields=["legal_remedy"])
    LetterTemplate.objects.create(
        programme=world.programme,
        kind=LetterKind.APPROVAL,
        language="de",
        subject="Bescheid {{ title }}",
        body=HOSTILE.format(url=url),
    )
    seen: list[str] = []
    real = letters.html_to_pdf
    monkeypatch.setattr(letters, "html_to_pdf", lambda html: seen.append(html) or real(html))

    subject, pdf = letters.render_letter(Decision.objects.get(application=app), "de")

    html = seen[0]
    assert "&lt;img src=&quot;file:///proc/self/environ&quot;&gt;" in html
    assert '<img src="file' not in html
    assert "<link" not in html.split("<body>")[1]
    assert "&lt;script&gt;" in html
    assert "Café &lt;b&gt;&amp; Co&lt;/b&gt;" in html  # escaped once, not twice
    assert subject == "Bescheid Café <b>& Co</b>"  # plain text for the mail subject
    assert counter.hits == 0
    assert pdf.startswith(b"%PDF")
