"""Models of reports; filled in by the issue that builds this app."""
