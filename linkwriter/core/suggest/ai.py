"""Placeholder; replaced below."""


def ai_suggestions(post, link, sur, result, config):  # noqa: ANN001, ANN201
    return []
