"""User data as literal Terraform text: what an env file (or a Python caller) wrote reaches AWS byte for byte.

Terraform reads every string of a configuration as a template: `${...}` is an expression and `%{...}` a
directive, in `.tf.json` values and object keys alike, in HCL quoted strings too. The only escapes are `$${`
for a literal `${` and `%%{` for a literal `%{` (a `$` or `%` not followed by `{` is already literal, and in
`$$${` only the last `$${` is an escape). So the escape is a plain replacement, its own exact inverse.

It is applied once, where config enters a construct (`literal_data` of the models at `EcsFargateService`,
`ServiceStack`, `BootstrapStack`): everything below receives already-literal data and never escapes again, while
references the library builds (`${aws_lb.alb.arn}`, cdktf tokens) are added afterwards and stay live. Validation
runs on the raw values before, so limits apply to what AWS receives.

cdktf 0.21's HCL writer (`cdktf synth --hcl`) puts a string between quotes as it is: it escapes no backslash,
escapes quotes only in strings without `${`, and writes a string with a newline as a heredoc (which appends a
newline and ends at a line `EOF`). When the app renders HCL, the literal is therefore also written as the
content of an HCL quoted string (backslash escapes for `\\`, `"` and control characters), which the writer then
leaves alone.

The S3 backend block is the exception: in JSON syntax Terraform reads it without templates (a `$${` stays two
dollars), in HCL with them; `backend_literal` follows that.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar, cast

from pydantic import BaseModel

T = TypeVar("T")

# A cdktf token in a string a Python caller built (`f"{table.arn}/index/*"`): a reference, kept live.
_TOKEN = re.compile(r"(\$\{TfToken\[TOKEN\.\d+\]\})")
_HCL_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def literal(text: str, *, hcl: bool = False) -> str:
    """`text` as Terraform must read it to produce exactly `text`; `hcl` when the app renders HCL."""
    escaped = text.replace("${", "$${").replace("%{", "%%{")
    return _hcl_quoted(escaped) if hcl else escaped


def literal_data(value: T, *, hcl: bool = False, keep_tokens: bool = False) -> T:
    """Every string in `value` (lists, tuples, dict keys and values, pydantic models) made literal; other values
    unchanged. A model comes back as a copy of the same class, not validated again: its raw values were.

    `keep_tokens` for props a Python caller gave, which may hold cdktf tokens: those parts stay references. Never for
    an env file's data, where text that looks like a token is text (and could name another resource's value)."""
    if keep_tokens:
        return cast(T, _each_string(value, lambda text: _literal_around_tokens(text, hcl), keys=True))
    return cast(T, _each_string(value, lambda text: literal(text, hcl=hcl), keys=True))


def _literal_around_tokens(text: str, hcl: bool) -> str:
    if "TfToken[" not in text:
        return literal(text, hcl=hcl)
    return "".join(part if index % 2 else literal(part, hcl=hcl) for index, part in enumerate(_TOKEN.split(text)))


def backend_literal(text: str, *, hcl: bool) -> str:
    """A backend setting: JSON syntax reads it verbatim (no templates), HCL as a quoted template."""
    return literal(text, hcl=True) if hcl else text


def unliteral_for_expression(value: T) -> T:
    """Literal data handed to a Terraform function call that cdktf renders (HCL `jsonencode`): cdktf escapes `${`
    in string values itself, so that one escape is undone here; it writes object keys as they are, and adds none
    of the other escapes, so those stay."""
    return cast(T, _each_string(value, lambda text: text.replace("$${", "${"), keys=False))


def _each_string(value: Any, change: Callable[[str], str], *, keys: bool) -> Any:
    if isinstance(value, str):
        return change(value)
    if isinstance(value, BaseModel):
        fields = type(value).model_fields
        return value.model_copy(update={name: _each_string(getattr(value, name), change, keys=keys) for name in fields})
    if isinstance(value, dict):
        return {
            (_each_string(k, change, keys=keys) if keys else k): _each_string(v, change, keys=keys)
            for k, v in value.items()
        }
    if isinstance(value, (list, tuple)):
        return type(value)(_each_string(item, change, keys=keys) for item in value)
    return value


def _hcl_quoted(text: str) -> str:
    out = []
    for char in text:
        if char in _HCL_ESCAPES:
            out.append(_HCL_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return "".join(out)
