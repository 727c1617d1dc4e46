"""gxgrammar: read 政府信息公开工作年度报告 into a checked data model, with grammars."""
__version__ = "0.1.0"

from gxgrammar.errors import GxError, InputError, ReportError  # noqa: E402
from gxgrammar.model import Finding, Report, Section  # noqa: E402
from gxgrammar.parser import parse_bytes, parse_file, parse_text  # noqa: E402

__all__ = ["parse_text", "parse_file", "parse_bytes", "Report", "Section", "Finding",
           "GxError", "InputError", "ReportError", "__version__"]
