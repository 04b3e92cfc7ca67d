"""The shared kernel: money, formats, form rendering and template tags used by every app.

It has no models and imports no other app of the project, so any app may import it.
"""
