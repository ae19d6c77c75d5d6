"""Plain Terraform from cdktf 0.21's HCL writer (`cdktf synth --hcl`), as `terraform validate` (no warnings) and
`terraform fmt -check` accept it once the CLI has run its own formatter (hclwrite: indentation, alignment).

cdktf's writer quotes every string that holds `${`, so a reference comes out as the template `"${aws_lb.alb.arn}"`
(which `terraform fmt` rewrites to `aws_lb.alb.arn`), and it writes the traversals of `depends_on` and
`lifecycle { ignore_changes }` as strings (`"aws_lb_listener.alb_https"`: Terraform 0.11's quoted references,
which validate warns about). No input avoids either: those lists only take strings, and any reference is a
string holding `${`. So the text is mended here, narrowly and line by line, outside heredoc bodies:
- an attribute whose whole value is one interpolation, `name = "${expr}"`, becomes `name = expr`: what
  `terraform fmt` does, and the same value (Terraform returns an interpolation-only template's value as is);
- the quoted items of `depends_on`, `ignore_changes` and `replace_triggered_by` lose their quotes: in Terraform's
  grammar they are traversals, never text.
- the blocks the prebuilt bindings type as `Any` (WAF's recursive rule `statement` and the
  `managed_rule_group_statement` in it) come out as map attributes, `statement = {`: they become blocks again.
Literal text (`$${`, `%%{`), several interpolations and template directives are left as written. `terraform fmt`
itself is not run: synthesizing needs no Terraform binary, and the output must not depend on one being there.
"""

from __future__ import annotations

import re

_ATTRIBUTE = re.compile(r'^(\s*[A-Za-z_][\w-]* = )("\$\{.*")$')
_TRAVERSAL_LIST = re.compile(r"^\s*(depends_on|ignore_changes|replace_triggered_by) = \[$")
_QUOTED_TRAVERSAL = re.compile(r'^(\s*)"((?:data\.)?[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*)"(,?)$')
_HEREDOC = re.compile(r"<<-?([A-Za-z_]\w*)$")
_UNTYPED_BLOCK = re.compile(r"^(\s*)(statement|managed_rule_group_statement) = \{$")
# In a quoted template: literal `$${`/`%%{`, an escaped character, the closing quote, or `${`/`%{` opening an
# expression; in an expression: a quoted template or a brace.
_TEMPLATE_MARK = re.compile(r'\$\$\{|%%\{|\\.|"|[$%]\{')
_TEMPLATE = ("${", "%{")
_EXPRESSION_MARK = re.compile(r'["{}]')


def terraform_hcl(text: str) -> str:
    """The text cdktf wrote for a stack, with the two mends above; line by line, as cdktf writes one value per line."""
    lines = []
    heredoc_end = None
    in_traversals = False
    for line in text.split("\n"):
        if heredoc_end is not None:
            heredoc_end = None if line.strip() == heredoc_end else heredoc_end
        elif in_traversals:
            in_traversals = line.strip() != "]"
            line = _QUOTED_TRAVERSAL.sub(r"\1\2\3", line)
        else:
            in_traversals = bool(_TRAVERSAL_LIST.match(line))
            line = _UNTYPED_BLOCK.sub(r"\1\2 {", _unwrapped(line))
            heredoc = _HEREDOC.search(line)
            heredoc_end = heredoc.group(1) if heredoc else None
        lines.append(line)
    return "\n".join(lines)


def _unwrapped(line: str) -> str:
    """`name = expr` for `name = "${expr}"`; any other line as it is."""
    match = _ATTRIBUTE.match(line)
    if match is None:
        return line
    value = match.group(2)
    if _expression_end(value, 3) != len(value) - 1:
        return line  # text or another interpolation after the first one
    return match.group(1) + value[3:-2]


def _template_end(text: str, i: int) -> int:
    """Just past the closing quote of the quoted template whose text starts at `i`; past the end if unclosed."""
    while (mark := _TEMPLATE_MARK.search(text, i)) is not None:
        if mark.group() == '"':
            return mark.end()
        i = _expression_end(text, mark.end()) if mark.group() in _TEMPLATE else mark.end()
    return len(text) + 1


def _expression_end(text: str, i: int) -> int:
    """Just past the `}` closing the interpolation (or directive) whose expression starts at `i`."""
    depth = 0
    while (mark := _EXPRESSION_MARK.search(text, i)) is not None:
        i = mark.end()
        if mark.group() == '"':
            i = _template_end(text, i)
        elif mark.group() == "{":
            depth += 1
        elif depth == 0:
            return i
        else:
            depth -= 1
    return len(text) + 1
