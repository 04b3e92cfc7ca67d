"""A world with payouts in every finance-relevant state, and private storage in a temp dir."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone

from grants.models import ApplicationState, Payout, StaffRole
from grants.services.payouts import payout_certify, payout_order, payout_plan
from tests.factories import World, advance, build_world, draft, staff


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private", "base_url": None},
        },
    }


@pytest.fixture
def world(db) -> World:
    return build_world()


def ordered_payout(app, world: World, amount: Decimal, **kwargs) -> Payout:
    """A payout certified and ordered by two case workers: what finance exports next."""
    payout = payout_plan(
        application=app,
        actor=world.case_worker,
        amount=amount,
        due_date=kwargs.pop("due_date", timezone.localdate()),
        **kwargs,
    )
    payout_certify(payout=payout, actor=world.case_worker)
    payout_order(payout=payout, actor=world.second_case_worker)
    payout.refresh_from_db()
    return payout


def running_application(world: World, **plan):
    return advance(draft(world, **plan), world, ApplicationState.RUNNING)


@dataclass
class TwoProgrammes:
    a: World
    b: World
    finance_a: object
    finance_b: object


@pytest.fixture
def two_programmes(db) -> TwoProgrammes:
    a, b = build_world(), build_world()
    return TwoProgrammes(a=a, b=b, finance_a=a.finance, finance_b=b.finance)


def finance_of(world: World):
    return staff(world.programme, StaffRole.Role.FINANCE)
