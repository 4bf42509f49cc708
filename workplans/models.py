"""Models of plans and projects; filled in by the issue that builds this app."""
