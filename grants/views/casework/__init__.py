"""Case work (/sachbearbeitung/), one module per area of the file: ``queue`` (start page and
work queue), ``file`` (the application file and running its steps), ``steps`` (which steps there
are), ``payouts``, ``meetings``, ``letters``; access helpers in ``access``."""
