"""The Python reference of the remark envelope: opens for every recipient, fails on any tampering."""

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from sync import sealing
from sync.entities import Envelope
from sync.envelope import check


def keypair():
    return ec.generate_private_key(ec.SECP256R1())


@pytest.fixture
def parties():
    author, officer, stranger = keypair(), keypair(), keypair()
    recipients = [sealing.Recipient("u-author", "k-a", author.public_key()),
                  sealing.Recipient("u-officer", "k-o", officer.public_key())]
    return author, officer, stranger, recipients


TEXT = "该职工反映家中老人住院，申请调整夜班（保密）"


def test_every_recipient_opens_it_and_the_envelope_passes_the_server_check(parties):
    author, officer, _, recipients = parties
    env = sealing.seal(TEXT, row_id="r-1", recipients=recipients)
    assert sealing.open_envelope(env, row_id="r-1", user_id="u-author", private_key=author) == TEXT
    assert sealing.open_envelope(env, row_id="r-1", user_id="u-officer", private_key=officer) == TEXT
    import msgspec

    check(msgspec.convert(env, Envelope), author_id="u-author")
    assert TEXT.encode() not in repr(env).encode()


def test_a_stranger_or_a_wrong_key_cannot_open_it(parties):
    author, _, stranger, recipients = parties
    env = sealing.seal(TEXT, row_id="r-1", recipients=recipients)
    with pytest.raises(sealing.CannotOpen, match="not a recipient"):
        sealing.open_envelope(env, row_id="r-1", user_id="u-stranger", private_key=stranger)
    with pytest.raises(sealing.CannotOpen):
        sealing.open_envelope(env, row_id="r-1", user_id="u-officer", private_key=stranger)


def _flip(text: str) -> str:
    raw = bytearray(sealing.unb64(text))
    raw[len(raw) // 2] ^= 0x01
    return sealing.b64(bytes(raw))


@pytest.mark.parametrize("part", ["ct", "nonce", "wrapped_key", "enc", "kid"])
def test_tampering_with_any_part_fails_to_open(parties, part):
    author, _, _, recipients = parties
    env = sealing.seal(TEXT, row_id="r-1", recipients=recipients)
    if part in ("wrapped_key", "enc"):
        env["recipients"][0][part] = _flip(env["recipients"][0][part])
    elif part == "kid":
        env["kid"] = env["kid"] + "x"
    else:
        env[part] = _flip(env[part])
    with pytest.raises(sealing.CannotOpen):
        sealing.open_envelope(env, row_id="r-1", user_id="u-author", private_key=author)


def test_an_envelope_moved_to_another_row_fails_to_open(parties):
    author, _, _, recipients = parties
    env = sealing.seal(TEXT, row_id="r-1", recipients=recipients)
    with pytest.raises(sealing.CannotOpen):
        sealing.open_envelope(env, row_id="r-2", user_id="u-author", private_key=author)


def test_an_officer_can_grant_a_new_officer_access_by_rewrapping(parties):
    _, officer, _, recipients = parties
    newcomer = keypair()
    env = sealing.seal(TEXT, row_id="r-1", recipients=recipients)
    granted = sealing.rewrap_for(env, row_id="r-1", user_id="u-officer", private_key=officer,
                                 new=sealing.Recipient("u-new", "k-n", newcomer.public_key()))
    assert granted["ct"] == env["ct"]  # the content is not re-encrypted
    assert sealing.open_envelope(granted, row_id="r-1", user_id="u-new", private_key=newcomer) == TEXT
