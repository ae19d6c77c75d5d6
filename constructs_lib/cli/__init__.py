"""The command line: argument parsing, the commands, reporting and exit codes (`__main__.py` is the entry)."""
