"""Demo data (``python manage.py seed_demo``): the two programmes with their real figures, their
committees, staff and applicant logins, and about forty applications in every state of the
procedure, each walked through the services the portal's screens call.

- ``programmes``: funding bodies, programme configuration and budgets
- ``committees``: the WIR 2.0 Arbeitsausschuss and the Regionsfonds Fachjury with members
- ``people``: staff, administrator and applicants with their logins
- ``calls``: calls for proposals, fixed (2023/2024) and relative to today
- ``story``: the builder of one application's dated steps; ``content``: what the form receives
- ``stories``: the applications, by year (2023, 2024) and, relative to today, by phase
- ``seeding``: replays all steps in calendar order on a travelling clock (time-machine)
"""

from grants.demo.people import ADMIN_EMAIL, DEMO_PASSWORD, demo_logins
from grants.demo.seeding import seed, summary

__all__ = ["ADMIN_EMAIL", "DEMO_PASSWORD", "demo_logins", "seed", "summary"]
