import pytest

from tests.factories import build_world


@pytest.fixture
def world(db):
    return build_world()


@pytest.mark.parametrize(
    ("persona", "shown", "hidden"),
    [
        ("owner", ["/antraege/", "/profil/"], ["/sachbearbeitung/", "/finanzen/"]),
        ("case_worker", ["/sachbearbeitung/"], ["/finanzen/", "/antraege/"]),
        ("finance", ["/finanzen/"], ["/sachbearbeitung/", "/antraege/"]),
    ],
)
def test_navigation_offers_the_areas_of_the_persona(client, world, persona, shown, hidden):
    client.force_login(getattr(world, persona))
    nav = (
        client.get("/").content.decode().split('aria-label="Hauptnavigation"')[1].split("</nav>")[0]
    )
    for href in shown:
        assert f'href="{href}"' in nav
    for href in hidden:
        assert f'href="{href}"' not in nav


def test_anonymous_sees_the_programmes_but_no_personal_areas(client, db):
    nav = (
        client.get("/").content.decode().split('aria-label="Hauptnavigation"')[1].split("</nav>")[0]
    )
    assert 'href="/foerderprogramme/"' in nav
    assert 'href="/antraege/"' not in nav
