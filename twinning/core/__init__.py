"""The shared floor every feature stands on: the database, extensions, errors, languages,
forms, mail, security headers, assets, navigation, page sections, content rules, the page
cache, transactions, rate limits, CSV, pagination and links from the URL map.

It imports no feature; import-linter checks that (`make lint`, contracts in pyproject.toml).
"""
