from rooms.codes import ALPHABET, LENGTH, new_code, normalize_code, token_hash, token_matches


def test_codes_use_only_unambiguous_characters() -> None:
    for ch in "0O1IL":
        assert ch not in ALPHABET
    for _ in range(500):
        code = new_code()
        assert len(code) == LENGTH
        assert set(code) <= set(ALPHABET)


def test_normalize_accepts_how_people_type_a_code() -> None:
    assert normalize_code(" k7mx-3p ") == "K7MX3P"
    assert normalize_code("k7mx3p") == "K7MX3P"
    assert normalize_code("K7M X3P") == "K7MX3P"


def test_normalize_refuses_what_cannot_be_a_code() -> None:
    for raw in ["", "ABC", "ABCDEFG", "ABCDE0", "ABCDEI", None, 123456, "<script>"]:
        assert normalize_code(raw) is None


def test_token_matches_only_its_own_hash() -> None:
    stored = token_hash("secret")
    assert token_matches("secret", stored)
    assert not token_matches("Secret", stored)
    assert not token_matches("secret", None)
