"""Reads of the grant domain, one module per area; they change nothing."""
