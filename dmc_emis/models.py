"""Models of dmc / emis student data; filled in by the issue that builds this app."""
