"""A rendered Word package written as python-docx writes it, faster: a part a rendering
leaves as its template holds it (the styles alone are most of a document) is deflated
once per template, and those compressed bytes are written into every archive made from
it. The archive holds what python-docx's would, except that a picture added by the
rendering (compressed already) is stored as it is, and the parts a rendering makes anew
are deflated at zlib's fastest level.
"""

from __future__ import annotations

import time
import zipfile
import zlib
from collections.abc import Callable
from collections.abc import Iterable
from typing import IO
from typing import Any

from docx.opc.packuri import CONTENT_TYPES_URI
from docx.opc.packuri import PACKAGE_URI
from docx.opc.part import XmlPart
from docx.opc.pkgwriter import _ContentTypesItem

FAST = 1  # zlib's fastest level
Packed = dict[str, tuple[bytes, int, bytes]]  # member name: (the part's bytes, their CRC, deflated)
_COMPRESSED = (".png", ".jpeg", ".jpg")  # pictures: a genogram, a letterhead's logo
Made = dict[tuple[str, tuple[Any, ...]], bytes]  # (part name, what it is made from): its bytes


class _Zip:
    """python-docx's package writer, except that a part deflated already (`packed`) has its
    compressed bytes written as they are; the archive is the same as deflating it."""

    def __init__(self, file: IO[bytes], packed: Packed) -> None:
        # What each rendering makes anew (its body, headers, footers, properties) is deflated
        # at zlib's fastest level: a body's 50 KB in a quarter of a millisecond rather than half,
        # for about a kilobyte more. Parts deflated once per template (_deflated) take the default.
        self._zip = zipfile.ZipFile(file, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=FAST)
        self._packed = packed

    def write(self, pack_uri: Any, blob: bytes) -> None:
        name = pack_uri.membername
        packed = self._packed.get(name)
        if packed is None or packed[0] is not blob or getattr(self._zip, "start_dir", None) is None:
            # A picture is compressed already: deflating it again costs time and saves little.
            self._zip.writestr(name, blob, zipfile.ZIP_STORED if name.endswith(_COMPRESSED) else None)
            return
        _, crc, deflated = packed
        info = zipfile.ZipInfo(name, date_time=time.localtime(time.time())[:6])
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o600 << 16
        info.file_size, info.compress_size, info.CRC = len(blob), len(deflated), crc
        # As ZipFile.writestr does, with the compressed bytes already made.
        self._zip.fp.seek(self._zip.start_dir)  # type: ignore[union-attr]
        info.header_offset = self._zip.fp.tell()  # type: ignore[union-attr]
        self._zip.fp.write(info.FileHeader(zip64=False))  # type: ignore[union-attr]
        self._zip.fp.write(deflated)  # type: ignore[union-attr]
        self._zip.start_dir = self._zip.fp.tell()  # type: ignore[union-attr]
        self._zip.filelist.append(info)
        self._zip.NameToInfo[name] = info
        self._zip._didModify = True  # type: ignore[attr-defined]

    def close(self) -> None:
        self._zip.close()


# Parts deflated lately, by their bytes: an authority's templates, made alike, hold the same
# styles (most of a template), deflated once for them all.
_DEFLATED: dict[bytes, tuple[int, bytes]] = {}


def _deflated(blob: bytes) -> tuple[bytes, int, bytes]:
    found = _DEFLATED.get(blob)
    if found is None:
        compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)  # as zipfile deflates
        found = zlib.crc32(blob), compressor.compress(blob) + compressor.flush()
        if len(_DEFLATED) >= 64:
            _DEFLATED.clear()
        _DEFLATED[blob] = found
    return blob, *found


def pack(parts: Iterable[Any], reader: Any, packed: Packed) -> None:
    """Each part still as its template (read by `reader`) holds it, deflated into `packed`
    once: a part never parsed (the styles, the theme...) or left alone by the rendering."""
    own: dict[str, bytes] = {str(name): blob for name, _, _, blob in reader.iter_sparts()}
    for part in parts:
        name = part.partname.membername
        if name in packed or isinstance(part, XmlPart):  # an XML part's bytes are made anew when asked for
            continue
        blob = own.get(str(part.partname))
        if blob is not None and blob is part.blob:
            packed[name] = _deflated(blob)


def save_package(package: Any, file: IO[bytes], reader: Any, packed: Packed, made: Made) -> None:
    """Write the package as python-docx saves it (docxtpl's save adds only picture and
    file replacement, never used here), each part its template holds unchanged deflated
    once for every rendering of it; the content types and relationships, the same for
    nearly every rendering, are made (and deflated) once for each way they come out."""
    parts = list(package.parts)
    for part in parts:
        part.before_marshal()
    pack(parts, reader, packed)
    writer = _Zip(file, packed)
    types = tuple((str(part.partname), part.content_type) for part in parts)
    writer.write(CONTENT_TYPES_URI, _made(made, packed, CONTENT_TYPES_URI, types,
                                          lambda: _ContentTypesItem.from_parts(parts).blob))  # type: ignore[no-untyped-call]
    writer.write(PACKAGE_URI.rels_uri, _relationships(made, packed, PACKAGE_URI.rels_uri, package.rels))
    for part in parts:
        writer.write(part.partname, part.blob)
        if len(part.rels):
            writer.write(part.partname.rels_uri, _relationships(made, packed, part.partname.rels_uri, part.rels))
    writer.close()


def _relationships(made: Made, packed: Packed, uri: Any, rels: Any) -> bytes:
    """The XML of `rels` (python-docx's `Relationships.xml`, made from these four values)."""
    key = tuple((rel.rId, rel.reltype, rel.target_ref, rel.is_external) for rel in rels.values())
    return _made(made, packed, uri, key, lambda: rels.xml)


def _made(made: Made, packed: Packed, uri: Any, key: tuple[Any, ...], make: Callable[[], bytes]) -> bytes:
    """The bytes `make` makes for `key` at `uri`, made and deflated once."""
    found = made.get((str(uri), key))
    if found is None:
        if len(made) >= 64:
            made.clear()
        found = made[(str(uri), key)] = make()
        packed[uri.membername] = _deflated(found)
    return found
