"""Errors the user sees as one clear line, never as a traceback."""


class LinkWriterError(Exception):
    """A problem with the user's input or setup, explained in one line."""


class InputError(LinkWriterError):
    """A post that cannot be read as text (missing, directory, binary, wrong encoding, too big)."""


class ConfigError(LinkWriterError):
    """A configuration file that cannot be used; the message names file, line and key."""
