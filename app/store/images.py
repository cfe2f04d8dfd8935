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
import tempfile
from pathlib import Path

from app.store.errors import StoreError

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
        """Store a PIL image; returns (content hash, whether a new file was written)."""
        data = encode_png(image, recipe)
        digest = hashlib.sha256(data).hexdigest()
        target = self.path(digest)
        if target.exists() and self.thumb_path(digest).exists():
            return digest, False
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            # Thumbnail first: a PNG present implies its thumbnail is too.
            _write_atomic(self.thumb_path(digest), encode_thumb(image))
            _write_atomic(target, data)
        except OSError as exc:
            raise StoreError(f"could not write the image to {target.parent}: "
                             f"{exc.strerror or exc}") from exc
        return digest, True

    def remove(self, digest: str) -> None:
        for p in (self.path(digest), self.thumb_path(digest)):
            try:
                p.unlink()
            except FileNotFoundError:
                pass

    def files(self):
        """Every file under the store, with the content hash it belongs to (None for
        leftovers such as temporary files from an interrupted write)."""
        if not self.root.is_dir():
            return
        for sub in sorted(self.root.iterdir()):
            if not sub.is_dir():
                yield sub, None
                continue
            for f in sorted(sub.iterdir()):
                name = f.name
                if name.startswith(_TMP) or len(sub.name) != 2:
                    yield f, None
                elif name.endswith(".thumb.jpg"):
                    yield f, sub.name + name[: -len(".thumb.jpg")]
                elif name.endswith(".png"):
                    yield f, sub.name + name[: -len(".png")]
                else:
                    yield f, None


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
