from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from grants.models import StaffRole, staff_roles


def _areas(user) -> dict[str, bool]:
    if not user.is_authenticated:
        return {}
    roles = {role for _programme, role in staff_roles(user)}
    return {
        "applicant": user.memberships.exists() or not roles,
        "case_worker": StaffRole.Role.CASE_WORKER in roles,
        "finance": StaffRole.Role.FINANCE in roles,
    }


def navigation(request: HttpRequest) -> dict:
    """Which areas the main navigation offers; asked only on pages that render it."""
    return {"nav_areas": SimpleLazyObject(lambda: _areas(request.user))}
