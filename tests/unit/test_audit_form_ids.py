"""The audit form's JavaScript names each photo with a random (version 4) UUID, with or
without ``crypto.randomUUID`` (which browsers offer only over HTTPS)."""

import re
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

FORM_JS = Path(__file__).parents[2] / "web" / "static" / "js" / "audit-form.js"


def _random_uuid_function() -> str:
    source = FORM_JS.read_text("utf-8")
    match = re.search(r"^  function randomUuid\(\) \{\n.*?^  \}\n", source, re.M | re.S)
    assert match, "audit-form.js names photos through randomUuid()"
    assert "randomUuid()" in source[match.end() :], "and the photo upload uses it"
    return match.group(0)


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node")
@pytest.mark.parametrize("with_random_uuid", [True, False], ids=["randomUUID", "fallback"])
def test_audit_form_photo_ids_are_random_version_4(with_random_uuid):
    hide = "" if with_random_uuid else "crypto.randomUUID = undefined;"
    script = (
        "var crypto = Object.assign({}, globalThis.crypto, {"
        " getRandomValues: (b) => globalThis.crypto.getRandomValues(b),"
        " randomUUID: () => globalThis.crypto.randomUUID() });"
        f"{hide}\n{_random_uuid_function()}\n"
        "for (let i = 0; i < 200; i++) console.log(randomUuid());"
    )
    out = subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True)
    ids = [uuid.UUID(line) for line in out.stdout.split()]
    assert len(set(ids)) == 200
    assert {i.version for i in ids} == {4} and {i.variant for i in ids} == {uuid.RFC_4122}
