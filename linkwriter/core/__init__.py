"""The Qt-free engine: parsing, rules, network checks, relevance, suggestions, cleaning."""
