"""Props: the typed, validated settings the constructs take (pydantic, no cdktf).

The layer under everything: config models of env files reuse these fields and rules, so a default or a limit
lives in one place and an env file and a Python caller get the same messages.
"""
