"""The language of messages: findings, errors and help, in Chinese or English.

Messages are written in English in the code, each through `_()` with named
placeholders, so that the gettext catalogue (`locale/zh/LC_MESSAGES/gxgrammar.po`,
compiled to `gxgrammar.mo` beside it) gives the Chinese:

    _("{cell} is {value}, but the identity expects {expected}").format(cell=…, value=…, expected=…)

A text defined once and shown later (a rule's description, a command's help) is
marked with `N_()` where it is written, so that `pybabel extract` finds it, and
translated with `_()` where it is shown.

The language is `--lang zh|en` (the commands set GXGRAMMAR_LANG from it), else the
GXGRAMMAR_LANG variable, else the locale: the first of LC_ALL, LC_MESSAGES and LANG
that is set gives Chinese when it starts with zh and English for any other language;
an unset locale, C or POSIX gives Chinese, since the reports and their readers are
Chinese. Codes (requests.balance) are the same in every language.

The catalogue also holds click's own messages (usage errors: "No such option '--foo'."),
as the installed click writes them; the commands take them from here (cli/translated.py),
and tests/test_i18n.py names any that click adds or changes.

The catalogue is edited by hand and compiled with Babel (see babel.cfg):

    pybabel extract -F babel.cfg -k N_ -o /tmp/gxgrammar.pot src
    pybabel update -i /tmp/gxgrammar.pot -d src/gxgrammar/locale -D gxgrammar -l zh
    pybabel compile -d src/gxgrammar/locale -D gxgrammar
"""
from __future__ import annotations

import gettext
import os
from contextvars import ContextVar
from functools import lru_cache

LANG_VAR = "GXGRAMMAR_LANG"
LANGUAGES = ("zh", "en")
LOCALE_DIR = os.path.join(os.path.dirname(__file__), "locale")


def language():
    """The language messages are given in: "zh" or "en"."""
    chosen = os.environ.get(LANG_VAR, "").strip().lower()
    if chosen:
        return "zh" if chosen.startswith("zh") else "en"
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "").strip().lower()
        if value:
            if value.startswith("zh"):
                return "zh"
            # C, POSIX and C.UTF-8 name no language: the readers are Chinese.
            return "zh" if value.split(".")[0] in ("c", "posix") else "en"
    return "zh"


def set_language(lang):
    """Give messages in `lang` ("zh" or "en") from now on, in this process and the
    processes it starts (the variable is inherited)."""
    if lang:
        os.environ[LANG_VAR] = lang


@lru_cache(maxsize=None)
def _catalogue(lang):
    if lang == "en":
        return gettext.NullTranslations()
    return gettext.translation("gxgrammar", LOCALE_DIR, languages=[lang], fallback=True)


# The catalogue of the report being parsed: its messages are all in one language, and a
# parse asks for hundreds of them (each look at the environment costs a few µs).
_held = ContextVar("gxgrammar_catalogue", default=None)


def hold_language():
    """Keep the language of the moment until `release_language(token)`: for one parse."""
    return _held.set(_catalogue(language()))


def release_language(token):
    _held.reset(token)


def _(message):
    """A message in the language of the moment (see `language`)."""
    return (_held.get() or _catalogue(language())).gettext(message)


def ngettext(singular, plural, count):
    """`singular` or `plural` as `count` asks, in the language of the moment (Chinese has
    one form for every count)."""
    return (_held.get() or _catalogue(language())).ngettext(singular, plural, count)


def N_(message):
    """Mark a message for the catalogue where it is defined; `_()` translates it where shown."""
    return message
