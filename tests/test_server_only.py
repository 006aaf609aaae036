"""extrabat_core.server_only: context switches no RPC call can turn on."""

import doctest
import json

from extrabat_core import server_only
from extrabat_core.server_only import ServerOnlyValue, is_set


def test_doctests():
    failures, tried = doctest.testmod(server_only)
    assert tried and not failures


def test_values_a_json_rpc_call_can_send_never_match():
    value = ServerOnlyValue("UNLOCK")
    # Every JSON value a browser could put under the key, including the
    # value's own name and its repr.
    for sent in ("UNLOCK", repr(value), True, 1, {"name": "UNLOCK"}, ["UNLOCK"], None):
        context = json.loads(json.dumps({"key": sent}))
        assert not is_set(context, "key", value)


def test_two_values_with_the_same_name_are_different_switches():
    first, second = ServerOnlyValue("SAME"), ServerOnlyValue("SAME")
    assert is_set({"key": first}, "key", first)
    assert not is_set({"key": first}, "key", second)
