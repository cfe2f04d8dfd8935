"""Content credentials for a delivered file: XMP (IPTC DigitalSourceType), an sRGB ICC
profile, and a signed C2PA manifest (c2pa-python) naming how the picture was made."""

from __future__ import annotations

import base64
import io
import json
from xml.sax.saxutils import escape, quoteattr

from app import __version__
from app.delivery.presets import FORMATS

AI_SOURCE_TYPE = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
SHOT_ASSERTION = "org.atelier.shot"


class CredentialsError(Exception):
    """The manifest could not be made or signed (message for a person)."""


def srgb_profile() -> bytes:
    from PIL import ImageCms

    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def xmp_packet(*, shot_ref: str, prompt: str | None = None) -> bytes:
    desc = "AI-generated image (Atelier)"
    extra = ""
    if prompt:
        extra = ('<exif:UserComment><rdf:Alt><rdf:li xml:lang="x-default">'
                 f"{escape(prompt)}</rdf:li></rdf:Alt></exif:UserComment>")
    text = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"'
        ' xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:exif="http://ns.adobe.com/exif/1.0/"'
        f' Iptc4xmpExt:DigitalSourceType="{AI_SOURCE_TYPE}" xmp:CreatorTool="Atelier {__version__}"'
        f' dc:identifier={quoteattr(shot_ref)}>'
        f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{desc}</rdf:li></rdf:Alt></dc:description>'
        f"{extra}</rdf:Description></rdf:RDF></x:xmpmeta>"
        '<?xpacket end="w"?>')
    return text.encode("utf-8")


def encode(image, fmt: str, xmp: bytes, parameters: str | None = None) -> bytes:
    """The picture as JPEG/PNG/WebP bytes with the sRGB profile and the XMP packet."""
    pil_format = FORMATS[fmt][0]
    buf = io.BytesIO()
    icc = srgb_profile()
    if pil_format == "JPEG":
        image.save(buf, "JPEG", quality=92, subsampling=0, icc_profile=icc, xmp=xmp)
    elif pil_format == "WEBP":
        image.save(buf, "WEBP", quality=92, icc_profile=icc, xmp=xmp)
    else:
        from PIL.PngImagePlugin import PngInfo

        info = PngInfo()
        info.add_itxt("XML:com.adobe.xmp", xmp.decode("utf-8"))
        info.add_text("Software", "Atelier")
        if parameters:
            info.add_text("parameters", parameters)
        image.save(buf, "PNG", icc_profile=icc, pnginfo=info)
    return buf.getvalue()


def manifest(*, title: str, shot, studio_id: str, board: str, preset: str, fit, size,
             consent: str | None, record_head: str | None, watermarked: bool,
             with_recipe: bool) -> dict:
    recipe = shot.recipe() if hasattr(shot, "recipe") else {}
    adapters = [{"name": a.get("name"), "hash": a.get("hash"), "weight": a.get("weight")}
                for a in (recipe.get("adapters") or getattr(shot, "adapters", None) or [])
                if isinstance(a, dict)]
    created = {"action": "c2pa.created", "digitalSourceType": AI_SOURCE_TYPE,
               "softwareAgent": {"name": "Atelier", "version": __version__},
               "parameters": {"model": shot.model, "model_hash": shot.model_hash,
                              "adapters": adapters}}
    actions = [created]
    if fit is not None and fit.mode == "crop":
        x0, y0, x1, y1 = fit.box
        actions.append({"action": "c2pa.cropped", "softwareAgent": {"name": "Atelier"},
                        "parameters": {"x": x0, "y": y0, "width": x1 - x0, "height": y1 - y0,
                                       "around": fit.subject_kind}})
    if fit is not None and fit.mode == "pad":
        actions.append({"action": "c2pa.edited", "softwareAgent": {"name": "Atelier"},
                        "parameters": {"description": "padded to the preset's aspect"}})
    if (shot.width, shot.height) != tuple(size):
        actions.append({"action": "c2pa.resized", "softwareAgent": {"name": "Atelier"},
                        "parameters": {"width": size[0], "height": size[1], "preset": preset}})
    if watermarked:
        actions.append({"action": "c2pa.watermarked", "softwareAgent": {"name": "Atelier"},
                        "parameters": {"description": "invisible watermark naming the shot"}})
    assertions = [{"label": "c2pa.actions.v2", "data": {"actions": actions}}]
    if watermarked:
        # The watermark is a soft binding: it ties the picture to this manifest even when
        # the manifest is stripped (the value is what the watermark carries).
        payload = f"{studio_id}:{shot.id}".encode()
        assertions.append({"label": "c2pa.soft-binding", "data": {
            "alg": "org.atelier.watermark.v1",
            "blocks": [{"scope": {}, "value": base64.b64encode(payload).decode()}]}})
    data = {"studio": studio_id, "shot": shot.id, "board": board, "preset": preset,
            "consent": consent, "record_head": record_head}
    if with_recipe:
        data["recipe"] = {k: v for k, v in recipe.items() if k != "brief"}
    return {
        "claim_generator_info": [{"name": "Atelier", "version": __version__}],
        "title": title,
        "assertions": assertions + [{"label": SHOT_ASSERTION, "data": data}],
    }


def sign(data: bytes, mime: str, manifest_def: dict, ident) -> bytes:
    """`data` with the manifest embedded and signed by `ident` (a SigningIdentity)."""
    import c2pa

    try:
        info = c2pa.C2paSignerInfo(ident.alg.encode(), ident.chain_pem, ident.key_pem, None)
        signer = c2pa.Signer.from_info(info)
        builder = c2pa.Builder(json.dumps(manifest_def))
        out = io.BytesIO()
        builder.sign(signer, mime, io.BytesIO(data), out)
    except c2pa.C2paError as exc:
        raise CredentialsError(f"could not sign the content credentials: {exc}") from None
    return out.getvalue()
