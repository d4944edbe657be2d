"""Sealed files: what is sealed reads back whole, at any position; a wrong passphrase, and
any byte changed, moved or cut off, is refused with a message saying which."""

import io
import os
import zipfile

import pytest

from beacon.core import sealed
from beacon.core.sealed import SealedReader, SealedWriter, SealError

PASSPHRASE = "correct horse battery staple"


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch):
    # a few bytes a chunk: every test crosses chunk boundaries; a quick key derivation
    monkeypatch.setattr(sealed, "CHUNK", 64)
    monkeypatch.setattr(sealed, "SCRYPT_LOG_N", 10)


def seal(path, data: bytes, passphrase=PASSPHRASE):
    with SealedWriter(open(path, "wb"), passphrase) as out:
        out.write(data)
    return path


@pytest.mark.parametrize("size", [0, 1, 63, 64, 65, 64 * 5, 1000])
def test_what_is_sealed_reads_back_whole(tmp_path, size):
    data = os.urandom(size)
    path = seal(tmp_path / "f", data)
    if size >= 16:
        # the plaintext is not in the file; a shorter one turns up in random bytes by chance
        # (one byte in 17 of ciphertext: one run in 15)
        assert data[:16] not in path.read_bytes()[sealed.HEADER_SIZE :]
    with SealedReader(path, PASSPHRASE) as reader:
        reader.check_all()
        assert reader.size == size
        assert reader.read() == data
        reader.seek(size // 2)
        assert reader.read(70) == data[size // 2 : size // 2 + 70]
        assert reader.seek(-3, io.SEEK_END) == max(0, size - 3)


def test_a_zip_written_to_a_sealed_file_opens_through_the_reader(tmp_path):
    path = tmp_path / "z"
    with SealedWriter(open(path, "wb"), PASSPHRASE) as out, zipfile.ZipFile(out, "w") as z:
        with z.open("rows.jsonl", "w", force_zip64=True) as member:
            for i in range(100):
                member.write(f"[{i}]\n".encode())
    with SealedReader(path, PASSPHRASE) as reader, zipfile.ZipFile(reader) as z:
        assert z.read("rows.jsonl").splitlines()[-1] == b"[99]"


def test_a_wrong_passphrase_is_told_apart_from_damage(tmp_path):
    path = seal(tmp_path / "f", b"x" * 200)
    with pytest.raises(SealError, match="wrong passphrase"):
        SealedReader(path, PASSPHRASE + "!")


def altered(path, change):
    data = bytearray(path.read_bytes())
    change(data)
    path.write_bytes(bytes(data))
    return path


def test_a_changed_byte_is_refused_naming_its_chunk(tmp_path):
    path = seal(tmp_path / "f", b"x" * 200)
    second = sealed.HEADER_SIZE + (64 + sealed.TAG) + 5

    def flip(data):
        data[second] ^= 1

    with SealedReader(altered(path, flip), PASSPHRASE) as reader:
        with pytest.raises(SealError, match="altered or damaged: chunk 2 of 4"):
            reader.check_all()


def test_chunks_swapped_are_refused(tmp_path):
    path = seal(tmp_path / "f", os.urandom(200))
    size = 64 + sealed.TAG
    start = sealed.HEADER_SIZE

    def swap(data):
        first, second = data[start : start + size], data[start + size : start + 2 * size]
        data[start : start + 2 * size] = second + first

    with SealedReader(altered(path, swap), PASSPHRASE) as reader:
        with pytest.raises(SealError, match="chunk 1 of 4"):
            reader.check_all()


@pytest.mark.parametrize("cut", [1, 64 + sealed.TAG])
def test_a_file_cut_short_is_refused(tmp_path, cut):
    path = seal(tmp_path / "f", b"x" * 200)

    def shorten(data):
        del data[-cut:]

    path = altered(path, shorten)
    with pytest.raises(SealError, match="cut short|altered or damaged"):
        with SealedReader(path, PASSPHRASE) as reader:
            reader.check_all()


def test_a_changed_header_is_refused(tmp_path):
    path = seal(tmp_path / "f", b"x" * 200)

    def salt(data):
        data[len(sealed.MAGIC) + 5] ^= 1

    with pytest.raises(SealError, match="wrong passphrase \\(or the file's header is damaged\\)"):
        SealedReader(altered(path, salt), PASSPHRASE)
