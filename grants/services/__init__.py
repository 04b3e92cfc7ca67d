"""Use cases of the grant procedure, one function each, each one database transaction.

A service checks who acts and what the rules say (through the lifecycle's transitions), changes
the objects, books the budget, and writes the status-change record and the domain event that
notifications consume. Views and commands call these; nothing else changes a lifecycle.

One module per area, the same areas as ``grants/models/``: ``applications``, ``assessment``,
``committees``, ``decisions`` (with ``letters`` for rendering), ``payouts``, ``proof``,
``changes``, ``budgets``; helpers shared by all in ``base``. Import from the area's module."""
