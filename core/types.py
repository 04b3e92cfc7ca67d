"""Types for annotations: the request of a logged-in person, and text that may be lazy.

Behind ``login_required`` (or an access helper that refuses anonymous requests) ``request.user``
is the portal's user, never ``AnonymousUser``; annotating such a view's request as
``AuthenticatedHttpRequest`` tells mypy so, as healthchecks does. At run time it is Django's
``HttpRequest`` and adds nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest
from django.utils.functional import Promise

if TYPE_CHECKING:
    # A type-only reference: core still imports no other app when the portal runs.
    from django.utils.functional import _StrOrPromise as StrOrPromise

    from applicants.models import User
else:
    # A label or message: a plain string or a lazy translation (``gettext_lazy``).
    StrOrPromise = str | Promise


class AuthenticatedHttpRequest(HttpRequest):
    user: User
