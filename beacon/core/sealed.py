"""Files sealed with a passphrase: AES-256-GCM in chunks, the key derived with scrypt.

A sealed file is a header and a run of chunks. Each chunk holds up to ``CHUNK`` bytes of
the plain file and is authenticated on its own, with its index and whether it is the last
one in the associated data: a chunk changed, moved, dropped or cut off fails, and so does
a file cut at a chunk's end. The header (format, scrypt's parameters, the salt) is
authenticated with every chunk, and carries a check value that tells a wrong passphrase
apart from a damaged file before anything else is read.

Memory stays bounded by one chunk whatever the file's size. ``SealedWriter`` is written
in order (a zip file written to it uses data descriptors); ``SealedReader`` reads at any
position, which is what a zip file's reader needs.
"""

from __future__ import annotations

import io
import os
import struct

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

MAGIC = b"BEACON-SEALED-1\n"
CHUNK = 1 << 20
TAG = 16
# scrypt: 2**15 x 8 x 128 bytes = 32 MiB and about 0.1 s per derivation, stored in the
# header so that a later version may raise them and still open older files.
SCRYPT_LOG_N, SCRYPT_R, SCRYPT_P = 15, 8, 1
_PARAMS = struct.Struct(">BBB16s")
HEADER_SIZE = len(MAGIC) + _PARAMS.size + TAG
_CHECK_NONCE = b"\xff" * 12  # never a chunk's nonce: a chunk's is its index


class SealError(Exception):
    """A sealed file that cannot be opened: the message says why."""


def is_sealed(path) -> bool:
    with open(path, "rb") as f:
        return f.read(len(MAGIC)) == MAGIC


def _key(passphrase: str, salt: bytes, log_n: int, r: int, p: int) -> AESGCM:
    kdf = Scrypt(salt=salt, length=32, n=1 << log_n, r=r, p=p)
    return AESGCM(kdf.derive(passphrase.encode("utf-8")))


def _nonce(index: int) -> bytes:
    return index.to_bytes(12, "big")


def _associated(header: bytes, index: int, last: bool) -> bytes:
    return header + struct.pack(">Q?", index, last)


class SealedWriter(io.RawIOBase):
    """Seals what is written to it into ``raw`` (an open binary file, closed with it)."""

    def __init__(self, raw, passphrase: str):
        super().__init__()
        self._raw = raw
        salt = os.urandom(16)
        params = MAGIC + _PARAMS.pack(SCRYPT_LOG_N, SCRYPT_R, SCRYPT_P, salt)
        self._aead = _key(passphrase, salt, SCRYPT_LOG_N, SCRYPT_R, SCRYPT_P)
        check = self._aead.encrypt(_CHECK_NONCE, b"", params)
        self._header = params + check
        raw.write(self._header)
        self._buffer = bytearray()
        self._index = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._buffer += data
        while len(self._buffer) >= CHUNK:
            self._seal(bytes(self._buffer[:CHUNK]), last=False)
            del self._buffer[:CHUNK]
        return len(data)

    def _seal(self, plain: bytes, last: bool) -> None:
        associated = _associated(self._header, self._index, last)
        self._raw.write(self._aead.encrypt(_nonce(self._index), plain, associated))
        self._index += 1

    def close(self) -> None:
        if not self.closed:
            # the last chunk is always shorter than CHUNK, empty when the file ends on a
            # chunk's end: a file cut at a chunk's end is told from a whole one
            self._seal(bytes(self._buffer), last=True)
            self._raw.close()
        super().close()


class SealedReader(io.RawIOBase):
    """The plain bytes of the sealed file at ``path``; each chunk is checked as it is read.

    Raises ``SealError`` at once for a wrong passphrase or a damaged header, and on a read
    that reaches a chunk that was changed.
    """

    def __init__(self, path, passphrase: str):
        super().__init__()
        self._raw = open(path, "rb")  # noqa: SIM115 - closed with the reader
        try:
            header = self._raw.read(HEADER_SIZE)
            if len(header) < HEADER_SIZE or not header.startswith(MAGIC):
                raise SealError("not a sealed Beacon file, or its header is damaged")
            log_n, r, p, salt = _PARAMS.unpack_from(header, len(MAGIC))
            if not (10 <= log_n <= 22 and 1 <= r <= 32 and 1 <= p <= 16):
                raise SealError("the file's header is damaged (key parameters out of range)")
            self._aead = _key(passphrase, salt, log_n, r, p)
            try:
                self._aead.decrypt(_CHECK_NONCE, header[-TAG:], header[:-TAG])
            except InvalidTag:
                raise SealError(
                    "wrong passphrase (or the file's header is damaged): nothing was read"
                ) from None
            body = os.fstat(self._raw.fileno()).st_size - HEADER_SIZE
            full, rest = divmod(body, CHUNK + TAG)
            if rest < TAG:
                raise SealError("the file is cut short or damaged: its last chunk is incomplete")
        except BaseException:
            self._raw.close()
            raise
        self._header = header
        self._chunks = full + 1
        self.size = full * CHUNK + rest - TAG
        self._pos = 0
        self._cached: tuple[int, bytes] | None = None

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self.size}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def chunk(self, index: int) -> bytes:
        """The plain bytes of chunk ``index``, or ``SealError`` if it was changed."""
        if self._cached is not None and self._cached[0] == index:
            return self._cached[1]
        last = index == self._chunks - 1
        self._raw.seek(HEADER_SIZE + index * (CHUNK + TAG))
        sealed = self._raw.read(CHUNK + TAG)
        try:
            plain = self._aead.decrypt(
                _nonce(index), sealed, _associated(self._header, index, last)
            )
        except InvalidTag:
            raise SealError(
                f"the file was altered or damaged: chunk {index + 1} of {self._chunks} "
                f"(from byte {HEADER_SIZE + index * (CHUNK + TAG)}) fails its check"
            ) from None
        self._cached = (index, plain)
        return plain

    def check_all(self) -> None:
        """Read every chunk once: a file that passes was sealed whole with this passphrase."""
        for index in range(self._chunks):
            self.chunk(index)

    def readinto(self, buffer) -> int:
        view = memoryview(buffer).cast("B")
        done = 0
        while done < len(view) and self._pos < self.size:
            index, start = divmod(self._pos, CHUNK)
            piece = self.chunk(index)[start : start + len(view) - done]
            view[done : done + len(piece)] = piece
            done += len(piece)
            self._pos += len(piece)
        return done

    def close(self) -> None:
        self._raw.close()
        super().close()
