"""Commands whose help is given in the language of the moment (gxgrammar.i18n).

Click reads a command's help when the module is imported, before `--lang` or
GXGRAMMAR_LANG is known; these classes translate the help, the options' help and
the headings when the help is shown. Help texts are written `help=N_(r\"\"\"…\"\"\")`:
raw, so that a `\\b` line (click: keep these lines as they are) reads as such in the
catalogue. Every command also takes `--lang zh|en`.

Click's own messages ("Error: No such option '--foo'.", "Missing argument 'REPORTS...'.",
"Try 'gxgrammar parse --help' for help.", "Invalid value for '--format': …") are marked in
click's modules with the standard library's global gettext (`from gettext import gettext
as _`, `from gettext import ngettext`), whose language comes from the locale alone, so that
--lang and GXGRAMMAR_LANG would not reach them. `speak_click_in_our_language` points
those two names of click's modules at gxgrammar.i18n: the catalogue holds click's messages
(tests/test_i18n.py checks it holds every one) and answers in the language of the moment.
"""
from __future__ import annotations

import gettext
import importlib
import inspect
import sys

import click
from click.formatting import HelpFormatter

try:       # click ≥ 8.2 made it private
    from click.utils import _make_default_short_help as _short_help
except ImportError:   # pragma: no cover
    from click.utils import make_default_short_help as _short_help

from gxgrammar.i18n import LANGUAGES, N_, _, ngettext, set_language

# The modules of click whose messages a user of the commands can meet.
CLICK_MODULES = ("click.core", "click.exceptions", "click.parser", "click.types", "click.formatting",
                 "click.decorators", "click.termui", "click.utils")


def speak_click_in_our_language():
    """Give click's messages from our catalogue, in the language of the moment (see above).

    Done once, on import, before the commands are defined. A module whose names are not
    the standard library's any more is left as it is (its messages stay as click writes them)."""
    for name in CLICK_MODULES:
        module = importlib.import_module(name)
        if getattr(module, "_", None) is gettext.gettext:
            module._ = _
        if getattr(module, "ngettext", None) is gettext.ngettext:
            module.ngettext = ngettext


speak_click_in_our_language()


def _choose_language(ctx, param, value):
    set_language(value)
    return value


def asked_language(args):
    """The language the last `--lang` among `args` asks for (None if none does), read before
    click parses them, so that a usage error met while parsing is in that language too."""
    asked = None
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(args):
            value = args[i + 1]
        else:
            value = arg[len("--lang="):] if arg.startswith("--lang=") else None
        if value in LANGUAGES:
            asked = value
    return asked


def lang_option():
    return click.Option(["--lang"], type=click.Choice(LANGUAGES), default=None, is_eager=True,
                        expose_value=False, callback=_choose_language,
                        help=N_("The language of findings, errors and help: zh (中文) or en. Default: "
                                "$GXGRAMMAR_LANG, else the locale (Chinese unless it names another language)."))


def help_text(text):
    """A help text translated, its `\\b` lines made click's no-rewrap mark, indentation removed."""
    return inspect.cleandoc(_(text)).replace("\\b", "\b")


def path_kind(path_type):
    """click's word for what a click.Path takes ("file", "directory" or "path": the msgids
    of click, which names the type so when it is made)."""
    return {(True, False): "file", (False, True): "directory"}.get((path_type.file_okay, path_type.dir_okay), "path")


class TranslatedMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.params.append(lang_option())
        for param in self.params:
            # The help keeps English placeholders (FILE, like NAME and REPORTS...) and so its columns.
            if isinstance(param, click.Option) and param.metavar is None and isinstance(param.type, click.Path):
                param.metavar = path_kind(param.type).upper()

    def main(self, args=None, *rest, **kwargs):
        set_language(asked_language(sys.argv[1:] if args is None else list(args)))
        return super().main(args, *rest, **kwargs)

    def make_context(self, info_name, args, parent=None, **extra):
        # click.Path words its errors (「File 'x' is a directory.」) with the name it was
        # given when the command was defined: give it in the language of this run.
        for param in self.params:
            if isinstance(param.type, click.Path):
                param.type.name = _(path_kind(param.type))
        return super().make_context(info_name, args, parent, **extra)

    def format_help_text(self, ctx, formatter):
        if self.help:
            formatter.write_paragraph()
            with formatter.indentation():
                formatter.write_text(help_text(self.help).partition("\f")[0])

    def get_short_help_str(self, limit=45):
        if self.short_help:
            return _(self.short_help)
        if not self.help:
            return ""
        first = help_text(self.help).split("\n\n")[0].replace("\b", "").strip()
        if "。" in first:        # Chinese: the first sentence, without click's word-based shortening
            return " ".join(first.split("。")[0].split()) + "。"
        return _short_help(first, limit)

    def format_usage(self, ctx, formatter):
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)), _("Usage: "))

    def format_options(self, ctx, formatter: HelpFormatter):
        rows = []
        for param in self.get_params(ctx):
            original = getattr(param, "help", None)
            if original:
                param.help = _(original)
            try:
                row = param.get_help_record(ctx)
            finally:
                if original:
                    param.help = original
            if row is not None and not isinstance(param, click.Argument):
                rows.append(row)
        if rows:
            with formatter.section(_("Options")):
                formatter.write_dl(rows)
        if isinstance(self, click.Group):
            self.format_commands(ctx, formatter)

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = N_("Show this message and exit.")
        return option


class Command(TranslatedMixin, click.Command):
    pass


class Group(TranslatedMixin, click.Group):
    command_class = Command

    def format_commands(self, ctx, formatter):
        commands = [(name, cmd) for name in self.list_commands(ctx)
                    if (cmd := self.get_command(ctx, name)) is not None and not cmd.hidden]
        if commands:
            limit = formatter.width - 6 - max(len(name) for name, _cmd in commands)
            with formatter.section(_("Commands")):
                formatter.write_dl([(name, cmd.get_short_help_str(limit)) for name, cmd in commands])
