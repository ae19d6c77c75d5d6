"""Whether an environment variable's name says it holds a credential, read word by word, not as a substring.

`DB_PASS`, `dbPassword`, `APIKEY` and `PRIVATE_KEY_PEM` name credentials; `PASSENGER_COUNT` and `BYPASS_CACHE`
contain PASS but do not, and `TOKEN_URL` or `PASSWORD_FILE` say where a credential is, not what it is. The name
is split on separators and camelCase, run-together words are split (APIKEY -> API KEY), then matched.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")
RUN_TOGETHER = {
    "APIKEY": ("API", "KEY"),
    "ACCESSKEY": ("ACCESS", "KEY"),
    "PRIVATEKEY": ("PRIVATE", "KEY"),
    "SECRETKEY": ("SECRET", "KEY"),
    "AUTHTOKEN": ("AUTH", "TOKEN"),
    "CLIENTSECRET": ("CLIENT", "SECRET"),
}
CREDENTIAL_WORDS = frozenset(
    {
        "PASS",
        "PASSWORD",
        "PASSWORDS",
        "PASSWD",
        "PASSPHRASE",
        "PWD",
        "SECRET",
        "SECRETS",
        "TOKEN",
        "TOKENS",
        "CREDENTIAL",
        "CREDENTIALS",
        "CREDS",
    }
)
CREDENTIAL_PHRASES = frozenset(
    {
        ("API", "KEY"),
        ("PRIVATE", "KEY"),
        ("ACCESS", "KEY"),
        ("SIGNING", "KEY"),
        ("ENCRYPTION", "KEY"),
        ("MASTER", "KEY"),
    }
)
# A name ending in KEY or AUTH is a credential (STRIPE_KEY, BASIC_AUTH) unless KEY means a lookup key.
TRAILING_CREDENTIAL = frozenset({"KEY", "AUTH"})
LOOKUP_KEYS = frozenset({"CACHE", "SORT", "PARTITION", "PRIMARY", "FOREIGN", "ROUTING", "IDEMPOTENCY", "OBJECT", "S3"})
# Names about a credential rather than holding it: where it is, what it is called, how long or how many.
ABOUT_A_CREDENTIAL = frozenset(
    {
        "URL",
        "URI",
        "ENDPOINT",
        "HOST",
        "PORT",
        "PATH",
        "FILE",
        "ARN",
        "ID",
        "NAME",
        "TTL",
        "EXPIRY",
        "TIMEOUT",
        "LENGTH",
        "COUNT",
        "LIMIT",
        "ENABLED",
        "HEADER",
        "TYPE",
    }
)
QUANTITY = frozenset({"MAX", "MIN", "NUM"})
WORKING_DIRECTORY = ("PWD",)  # the shell's current directory, not a password


def name_words(name: str) -> tuple[str, ...]:
    """`dbPassword` -> (DB, PASSWORD); `X_APIKEY` -> (X, API, KEY)."""
    words: list[str] = []
    for word in _WORD.findall(name):
        words += RUN_TOGETHER.get(word.upper(), (word.upper(),))
    return tuple(words)


def is_credential_name(name: str) -> bool:
    words = name_words(name)
    if not words or words == WORKING_DIRECTORY or words[-1] in ABOUT_A_CREDENTIAL or QUANTITY & set(words):
        return False
    if CREDENTIAL_WORDS & set(words) or any(pair in CREDENTIAL_PHRASES for pair in zip(words, words[1:], strict=False)):
        return True
    return words[-1] in TRAILING_CREDENTIAL and (len(words) < 2 or words[-2] not in LOOKUP_KEYS)
