"""Context values that only server-side code can set.

Odoo passes the context of a JSON-RPC or XML-RPC call through as plain data
(strings, numbers, lists, dicts). A Python object that is neither cannot be
sent by a browser or a script: a context key whose value must *be* such an
object (compared with ``is``) is a switch that only the server can turn on.

>>> UNLOCK = ServerOnlyValue("UNLOCK")
>>> is_set({"unlock": UNLOCK}, "unlock", UNLOCK)
True
>>> is_set({"unlock": "UNLOCK"}, "unlock", UNLOCK)   # what RPC could send
False
>>> is_set({"unlock": True}, "unlock", UNLOCK)
False
>>> UNLOCK
UNLOCK
"""

from __future__ import annotations

from collections.abc import Mapping


class ServerOnlyValue:
    """A context value that only server-side code can set: no JSON-RPC or
    XML-RPC call can send a Python object. Compare it with ``is`` (or use
    :func:`is_set`), never with ``==`` or truthiness."""

    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name

    def __repr__(self):
        return self.name


def is_set(context: Mapping, key: str, value: ServerOnlyValue) -> bool:
    """Whether ``context[key]`` is exactly the server-only ``value``."""
    return context.get(key) is value
