"""Words and numbers for people, shared by the CLI and the dashboard."""
