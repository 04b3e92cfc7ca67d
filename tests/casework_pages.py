"""Addresses of the case-work pages and the fingerprint a page sends with a step."""

from __future__ import annotations

from grants.models import (
    Application,
)
from grants.services.base import application_seen


def file_url(app):
    return f"/sachbearbeitung/antraege/{app.pk}/"


def step_url(app, slug):
    return f"/sachbearbeitung/antraege/{app.pk}/{slug}/"


def seen(app):
    return application_seen(Application.objects.get(pk=app.pk))
