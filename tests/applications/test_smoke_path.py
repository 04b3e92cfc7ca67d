from decimal import Decimal

from grants.models import ApplicationState
from tests.factories import advance, draft


def test_main_path_reaches_proof_accepted(world):
    app = advance(draft(world), world, ApplicationState.PROOF_ACCEPTED)
    assert app.file_number.startswith(world.programme.code)
    assert app.approved_amount == Decimal("8000.00")
