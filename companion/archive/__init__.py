"""Reading the archive of your data that X lets every user download: its container, its data files, and
what each item means. Nothing here writes; companion/domain/archive.py applies the result to the store."""
