"""Whether stored bytes (an uploaded file, an import's outcome) name a person (pure).

An erasure looks for what could name the person in what was kept besides the audits: their
username, e-mail and full name; a staff member's name, and their code on a line that also
gives their branch's code (codes repeat across branches: ``S1`` alone names no one). Matching
is of whole words, ignoring case, so a username ``sam`` is not found inside ``samuel``. It errs
on the side of finding: a file that only seems to name them is dropped all the same, and the
person who sent it is asked to send it again without them.
"""

from __future__ import annotations

import re

import msgspec


class Naming(msgspec.Struct, frozen=True):
    """What names one person: any of ``words``, or ``code`` on a line with ``branch``."""

    words: tuple[str, ...] = ()
    code: str = ""
    branch: str = ""


def user_naming(username: str, email: str, first_name: str, last_name: str) -> Naming:
    full_name = f"{first_name.strip()} {last_name.strip()}".strip()
    return Naming(words=_present(username, email, full_name))


def staff_naming(code: str, name: str, branch: str) -> Naming:
    return Naming(words=_present(name), code=code.strip(), branch=branch.strip())


def _present(*values: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in values if v and v.strip())


def _word(*texts: str) -> re.Pattern[str]:
    """Any of ``texts`` as a whole word, in text already lower-cased (one pass over a file of
    megabytes, not one per word, and no case-folding regex: several times faster)."""
    either = "|".join(re.escape(text.lower()) for text in texts)
    return re.compile(rf"(?<!\w)(?:{either})(?!\w)")


def names(data: bytes | str, naming: Naming) -> bool:
    """Whether ``data`` names the person ``naming`` describes."""
    text = (data if isinstance(data, str) else data.decode("utf-8", errors="replace")).lower()
    if naming.words and _word(*naming.words).search(text):
        return True
    if not (naming.code and naming.branch):
        return False
    code, branch = _word(naming.code), _word(naming.branch)
    if not code.search(text):  # most files: one scan, not one per line
        return False
    return any(code.search(line) and branch.search(line) for line in text.splitlines())
