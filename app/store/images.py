"""The image store: content-addressed PNG files with a thumbnail alongside.

`<studio>/images/ab/cdef….png` where `abcdef…` is the sha256 of the PNG bytes, and
`….thumb.jpg` next to it (256 px on the long side) so a board never decodes full images.
Files are written atomically (temporary file in the same folder, fsync, rename, fsync of
the folder): a crash leaves either the whole file or none. Every PNG carries machine-readable
AI labelling (IPTC DigitalSourceType, as a text chunk and as XMP) and its recipe as PNG
text chunks.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import stat
import tempfile
from pathlib import Path

from app.store.errors import StoreError
from app.store.faults import os_fault

THUMB_SIZE = 256
AI_SOURCE_TYPE = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
_TMP = ".tmp-"
# The same label as XMP, where photo tools (exiftool, Lightroom, Photoshop) and the IPTC
# photo-metadata standard look for it: Iptc4xmpExt:DigitalSourceType.
XMP_PACKET = (
    '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    '<rdf:Description rdf:about="" xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"'
    ' xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/"'
    f' Iptc4xmpExt:DigitalSourceType="{AI_SOURCE_TYPE}" xmp:CreatorTool="Atelier">'
    '<dc:description><rdf:Alt><rdf:li xml:lang="x-default">AI-generated image (Atelier)</rdf:li>'
    '</rdf:Alt></dc:description></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="r"?>')


def encode_png(image, recipe: dict | None = None) -> bytes:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("DigitalSourceType", AI_SOURCE_TYPE)
    info.add_text("Software", "Atelier")
    info.add_text("Comment", "AI-generated image (Atelier)")
    info.add_itxt("XML:com.adobe.xmp", XMP_PACKET)
    if recipe is not None:
        from app.core.a1111 import parameters_text

        # AUTOMATIC1111's recipe line, which SD tools (sd-parsers, PNG Info) read.
        info.add_text("parameters", parameters_text(recipe))
        info.add_itxt("atelier:recipe", json.dumps(recipe, sort_keys=True, ensure_ascii=False))
    buf = io.BytesIO()
    image.save(buf, format="PNG", pnginfo=info)
    return buf.getvalue()


def encode_thumb(image) -> bytes:
    thumb = image.convert("RGB")
    thumb.thumbnail((THUMB_SIZE, THUMB_SIZE))
    buf = io.BytesIO()
    thumb.save(buf, format="JPEG", quality=85, comment=b"AI-generated image (Atelier)")
    return buf.getvalue()


class ImageStore:
    def __init__(self, root: Path):
        self.root = Path(root)

    def path(self, digest: str) -> Path:
        return self.root / digest[:2] / f"{digest[2:]}.png"

    def thumb_path(self, digest: str) -> Path:
        return self.root / digest[:2] / f"{digest[2:]}.thumb.jpg"

    def put(self, image, recipe: dict | None = None) -> tuple[str, bool]:
        """Store a PIL image; returns (content hash, whether a new file was written).
        A write that fails (a full disk: DiskFull) leaves neither file nor temporary behind."""
        data = encode_png(image, recipe)
        digest = hashlib.sha256(data).hexdigest()
        target = self.path(digest)
        if _regular(target) and _regular(self.thumb_path(digest)):
            return digest, False
        wrote_thumb = False
        try:
            _real_dir(self.root)
            target.parent.mkdir(parents=True, exist_ok=True)
            _real_dir(target.parent)
            # Thumbnail first: a PNG present implies its thumbnail is too.
            thumb_existed = os.path.lexists(self.thumb_path(digest))
            _write_atomic(self.thumb_path(digest), encode_thumb(image))
            wrote_thumb = not thumb_existed
            _write_atomic(target, data)
        except OSError as exc:
            if wrote_thumb:
                _unlink_quietly(self.thumb_path(digest))
            raise os_fault(exc, self.root.parent, f"write the image to {target.parent}") from exc
        return digest, True

    def remove(self, digest: str) -> None:
        for p in (self.path(digest), self.thumb_path(digest)):
            _unlink_quietly(p)

    def files(self):
        """Every file Atelier may have written under the store, with the content hash it
        belongs to (None for temporary files left by an interrupted write). Links are never
        followed, and files not named as Atelier names them are not listed (never deleted)."""
        if not _is_dir_nolink(self.root):
            return
        for sub in sorted(os.scandir(self.root), key=lambda e: e.name):
            if not (_SUBDIR.match(sub.name) and sub.is_dir(follow_symlinks=False)):
                continue
            for f in sorted(os.scandir(sub.path), key=lambda e: e.name):
                if not f.is_file(follow_symlinks=False):
                    continue
                m = _FILE.match(f.name)
                if m:
                    yield self.root / sub.name / f.name, sub.name + m.group(1)
                elif _TMPNAME.match(f.name):
                    yield self.root / sub.name / f.name, None

    def unlink(self, path: Path) -> bool:
        """Delete one file listed by `files()`, never through a link; False when it is gone,
        is not a regular file any more, or lies outside the store."""
        path = Path(path)
        if path.parent.parent != self.root or not _SUBDIR.match(path.parent.name) or not (
                _FILE.match(path.name) or _TMPNAME.match(path.name)):
            return False
        if not _is_dir_nolink(self.root) or not _is_dir_nolink(path.parent):
            return False
        if os.name != "posix":
            if not _regular(path):
                return False
            try:
                os.unlink(path)
            except FileNotFoundError:
                return False
            return True
        try:
            fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
        except OSError:
            return False
        try:
            st = os.stat(path.name, dir_fd=fd, follow_symlinks=False)
            if not stat.S_ISREG(st.st_mode):
                return False
            os.unlink(path.name, dir_fd=fd)
            return True
        except FileNotFoundError:
            return False
        finally:
            os.close(fd)


_SUBDIR = re.compile(r"^[0-9a-f]{2}$")
_FILE = re.compile(r"^([0-9a-f]{62})(?:\.png|\.thumb\.jpg)$")
_TMPNAME = re.compile(r"^\.tmp-[A-Za-z0-9_]{6,16}$")


def _regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def _is_dir_nolink(path: Path) -> bool:
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def _real_dir(path: Path) -> None:
    if os.path.islink(path):
        raise StoreError(f"{path} is a link; Atelier never writes through links in a studio")


def _unlink_quietly(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _write_atomic(target: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=_TMP, dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    _fsync_dir(target.parent)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
