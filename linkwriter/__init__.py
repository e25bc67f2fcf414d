"""LinkWriter: get every link in a Markdown blog post right, offline, before publishing."""

__version__ = "0.1.0"
