"""Models of work processes; filled in by the issue that builds this app."""
