"""Bytes to clean text: encodings, binary files, and the damage scraping does to text.

The text returned here is the text every offset in an event points into, so all cleaning happens
once, here, before any stage sees the article.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass, field


class ReadError(Exception):
    """An input that cannot become an article; the message is the reason shown to the user."""


@dataclass
class Decoded:
    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


# Magic numbers of the binary files people most often pass by mistake, with what to do instead.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document; convert it to text first (e.g. `pdftotext FILE.pdf`)"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"PK\x03\x04", "a zip archive (or an office document); extract the text first"),
    (b"\x1f\x8b", "gzip-compressed data; name the file *.gz so that it is decompressed"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document; save it as text first"),
    (b"\x7fELF", "an executable"),
    (b"BZh91AY&SY", "bzip2-compressed data; decompress it first"),
    (b"\xfd7zXZ\x00", "xz-compressed data; decompress it first"),
    (b"WARC/1.", "a WARC archive, not a page"),
)

# Longest first: the UTF-32-LE mark begins with the UTF-16-LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Single-byte Western encodings charset-normalizer may name for English text; cp1252 is the one
# Windows editors and old CMSs really use (curly quotes at 0x91-0x94), so it is preferred.
_WESTERN = {"cp1252", "windows-1252", "latin_1", "iso8859_1", "iso8859_15", "cp1250", "mac_roman", "cp850"}

# Control characters that never belong in article text (tab and newline are kept; form feeds and
# vertical tabs become newlines below).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# Invisible characters that split words for the tokenizer without showing on the page.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
# UTF-8 read as cp1252 or latin-1: a lead byte followed by continuation bytes, as those characters.
_CP1252_CONT = (
    "\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
)
_MOJIBAKE = re.compile(f"[\u00c2-\u00f4][{_CP1252_CONT}]{{1,3}}")
# Scraping glues paragraphs: "a combat zone.Any move by". A whole word ending in two or more
# lowercase letters (so not an abbreviation such as "U.S.", "e.g.", "Mr." or "Dr.", and not part of
# a URL or an e-mail address), sentence punctuation, then a capitalised word that is not itself
# followed by ".com" and the like ("www.DearAbby.com"). Decimals do not match.
_GLUED = re.compile(r"(?<![\w./@:\\-])([A-Z]?[a-z]{2,}[.!?])([A-Z][a-z])(?![\w-]*\.\w)")

BINARY_CONTROL_RATIO = 0.02


def decode_bytes(data: bytes, *, truncated: bool = False) -> Decoded:
    """Decode an input's bytes, or raise ReadError saying why it is not text.

    Order matters: a byte-order mark decides first (UTF-16 text is full of NUL bytes), then the
    magic numbers of common binary formats, then NUL bytes, then strict UTF-8, and only then
    charset-normalizer's guess, which is slow and can be wrong on short inputs. `truncated`: the
    bytes were cut at a size limit, so a character cut in half at the end is dropped, not an error.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = _decode(data[len(bom) :], encoding, truncated)
            except UnicodeDecodeError as error:
                raise ReadError(
                    f"undecodable: starts with a {encoding} byte-order mark but is not "
                    f"valid {encoding} ({error.reason} at byte {error.start})"
                ) from None
            return _check_text(Decoded(text, encoding))
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise ReadError(f"binary file: {what}")
    if b"\x00" in data[:65536]:
        utf16 = _bomless_utf16(data)
        if utf16 is not None:
            return _check_text(Decoded(data.decode(utf16, errors="replace"), utf16))
        raise ReadError("binary file (contains NUL bytes); tripwire reads plain text and HTML")
    try:
        return _check_text(Decoded(_decode(data, "utf-8", truncated), "utf-8"))
    except UnicodeDecodeError:
        pass
    return _check_text(_guess(data))


def decode_truncated(data: bytes) -> Decoded:
    """`decode_bytes` for bytes cut at a size limit."""
    return decode_bytes(data, truncated=True)


def _decode(data: bytes, encoding: str, truncated: bool) -> str:
    if not truncated:
        return data.decode(encoding)
    return codecs.getincrementaldecoder(encoding)().decode(data, final=False)


def _bomless_utf16(data: bytes) -> str | None:
    """UTF-16 without a byte-order mark: ASCII-range text has a NUL in every other byte."""
    sample = data[:4096]
    even, odd = sample[0::2], sample[1::2]
    if not even or not odd:
        return None
    if odd.count(0) / len(odd) > 0.4 and even.count(0) / len(even) < 0.05:
        return "utf-16-le"
    if even.count(0) / len(even) > 0.4 and odd.count(0) / len(odd) < 0.05:
        return "utf-16-be"
    return None


def _guess(data: bytes) -> Decoded:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    encoding = best.encoding if best is not None else None
    if encoding is None or encoding in _WESTERN:
        try:
            text = data.decode("cp1252")
            encoding = "cp1252"
        except UnicodeDecodeError:
            if best is None:
                raise ReadError(
                    "undecodable: not UTF-8 and no other encoding fits; re-save the file as UTF-8"
                ) from None
            text = str(best)
    else:
        text = str(best)
    return Decoded(text, encoding, [f"input is not valid UTF-8; decoded as {encoding}"])


def _check_text(decoded: Decoded) -> Decoded:
    """Reject what decoded but is not text (a binary format without a known magic number)."""
    sample = decoded.text[:65536]
    if sample:
        noise = len(_CONTROL.findall(sample)) + sample.count("\ufffd")
        if noise / len(sample) > BINARY_CONTROL_RATIO:
            raise ReadError("binary file (too many control characters); tripwire reads plain text and HTML")
    return decoded


def fix_mojibake(text: str) -> str:
    """Repair UTF-8 that was decoded as cp1252 or latin-1 ("â€™" back to "’").

    Each candidate run is re-encoded and decoded again, and kept only if it forms one valid UTF-8
    character, so real accented text ("Ãœ" is not a valid sequence) stays as it is.
    """
    if not _MOJIBAKE.search(text):
        return text

    def repair(match: re.Match[str]) -> str:
        chunk = match.group(0)
        try:
            raw = b"".join(bytes([ord(c)]) if ord(c) < 256 else c.encode("cp1252") for c in chunk)
            fixed = raw.decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return chunk
        return fixed if len(fixed) == 1 else chunk

    return _MOJIBAKE.sub(repair, text)


def unglue_sentences(text: str) -> str:
    """Put back the space scraping removed between sentences ("zone.Any" -> "zone. Any")."""
    return _GLUED.sub(r"\1 \2", text)


def clean_text(text: str) -> str:
    """Normalise decoded text: mojibake, NFC, newlines, invisible and control characters, glued
    sentences. Idempotent, so text that went through it can go through again unchanged."""
    text = fix_mojibake(text)
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = text.replace("\x0b", "\n").replace("\x0c", "\n").replace("\x85", "\n")
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub("", text)
    return unglue_sentences(text)
