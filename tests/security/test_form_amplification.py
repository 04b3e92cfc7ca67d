"""A forged TOTAL_FORMS cannot make one request build a thousand forms; a plan has at most
60 cost and 30 financing rows, in the form and in the service."""

from decimal import Decimal

import pytest
from django.urls import reverse

from grants.errors import RuleViolated
from grants.models import CostCategory, FinancingCategory
from grants.services import applications as services
from tests.factories import draft


def _forged(prefix: str, total: int) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


@pytest.mark.parametrize("name", ["portal:plan", "portal:plan_summary"])
def test_a_thousand_forms_are_cut_to_the_cap(client, world, name):
    application = draft(world)
    client.force_login(world.owner)

    response = client.post(
        reverse(name, args=[application.pk]),
        {**_forged("costs", 1000), **_forged("financing", 1000), "action": "save"},
    )

    assert response.status_code == 200
    if response.context and "costs" in response.context:
        assert len(response.context["costs"].forms) == services.MAX_COST_LINES
        assert len(response.context["financing"].forms) == services.MAX_FINANCING_LINES
        assert response.context["costs"].non_form_errors()
    assert application.cost_lines.count() == 1  # the stored plan is untouched


def test_the_service_refuses_more_rows_than_a_plan_may_have(world):
    application = draft(world)
    category = CostCategory.objects.filter(programme=world.programme).first()
    own = FinancingCategory.objects.filter(programme=world.programme).first()
    line = services.PlanLine(category_id=category.pk, description="x", amount=Decimal("1"))

    with pytest.raises(RuleViolated):
        services.application_replace_plan(
            application=application,
            actor=world.owner,
            costs=[line] * (services.MAX_COST_LINES + 1),
            financing=[services.PlanLine(category_id=own.pk, description="", amount=Decimal("1"))],
        )

    assert application.cost_lines.count() == 1
