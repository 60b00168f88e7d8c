"""GS1 barcode payloads: ``parse_code`` reads what a scanner or camera produced (see docs/scanning.md)."""

from ipm.gs1.parsing import MAX_CODE_LENGTH, AiValue, ParsedCode, parse_code
from ipm.gs1.problems import CodeProblem

__all__ = ["MAX_CODE_LENGTH", "AiValue", "CodeProblem", "ParsedCode", "parse_code"]
