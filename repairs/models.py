"""Models of repairs; filled in by the issue that builds this app."""
