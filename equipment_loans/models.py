"""Models of equipment loans; filled in by the issue that builds this app."""
