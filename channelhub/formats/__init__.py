"""Our number formats per language (settings.FORMAT_MODULE_PATH), on top of Django's own.

Django's zh_Hans formats group nothing (``THOUSAND_SEPARATOR = ""``, groups of four), so
``{{ amount|floatformat:"2g" }}`` printed ``72770000.00`` in Chinese. Money in Chinese offices is
written ``72,770,000.00``: commas every three digits, as ``common.money.format_money`` does. Only
the names set here are overridden; every other format is Django's for the language.
"""
