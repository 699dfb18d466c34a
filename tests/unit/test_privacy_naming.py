"""What an erasure takes to name a person in a kept upload (``audits.privacy.naming``)."""

from audits.privacy.naming import names, staff_naming, user_naming

SAM = user_naming("sam", "sam@example.com", "Sam", "Vimes")
S1 = staff_naming("S1", "Anna Lee", "B1")


def test_a_user_is_named_by_username_email_or_full_name_as_whole_words_in_any_case():
    assert names(b"audit_ref,auditor\nr1,SAM\n", SAM)
    assert names("contact: Sam@Example.com", SAM)
    assert names(b'{"message":"greeted by sam vimes"}', SAM)
    assert not names(b"audit_ref,auditor\nr1,samuel\nr2,sue\n", SAM)
    assert not names(b"Sam alone is a first name", user_naming("sue", "", "Sam", "Vimes"))


def test_a_staff_code_names_them_only_on_a_line_of_their_branch():
    assert names(b"r1,2026-01-01,B1,S1,sam\n", S1)
    assert not names(b"r1,2026-01-01,B2,S1,sam\nr2,2026-01-02,B1,S10,sam\n", S1)
    assert names("shopper's note: anna lee was kind", S1)
