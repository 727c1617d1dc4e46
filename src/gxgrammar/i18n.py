"""The language of messages: findings, errors and help, in Chinese or English.

Messages are written in English in the code, each through `_()` with named
placeholders, so that the catalogue (gettext, `locale/zh/LC_MESSAGES/gxgrammar.po`)
can give the Chinese:

    _("{cell} is {value}, but the identity expects {expected}").format(cell=…, value=…, expected=…)

The language is `--lang` (commands set GXGRAMMAR_LANG from it), else the
GXGRAMMAR_LANG variable, else Chinese when the locale is Chinese (LC_ALL,
LC_MESSAGES or LANG starting with zh), else English. Codes (requests.balance) are
the same in every language.
"""
from __future__ import annotations

import gettext
import os
from functools import lru_cache

LANG_VAR = "GXGRAMMAR_LANG"
LANGUAGES = ("zh", "en")


def language():
    """The language messages are given in: "zh" or "en"."""
    chosen = os.environ.get(LANG_VAR, "").strip().lower()
    if chosen:
        return "zh" if chosen.startswith("zh") else "en"
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


@lru_cache(maxsize=None)
def _catalogue(lang):
    if lang == "en":
        return gettext.NullTranslations()
    folder = os.path.join(os.path.dirname(__file__), "locale")
    return gettext.translation("gxgrammar", folder, languages=[lang], fallback=True)


def _(message):
    """A message in the language of the moment (see `language`)."""
    return _catalogue(language()).gettext(message)
