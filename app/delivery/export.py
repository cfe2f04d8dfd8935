"""Export: approved shots out to channel presets, each file labelled and signed.

One export is one action: every rule is checked before any work, every file is written to
a temporary name in the target folder first, and only when all of them are complete are
they given their names (never over an existing file) and recorded. A failure (a full
disk, a folder that went away) removes what this export wrote and records nothing.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from app.delivery import credentials, framing, journal, rules, signing, watermark
from app.delivery.presets import FORMATS, Preset

NAME_PATTERN = "{board}_{shot:04d}_{preset}_v{version}.{ext}"


class ExportError(Exception):
    """Bad input for an export (exit 2): said before any work."""


class ExportFailed(Exception):
    """The export could not finish (exit 1): a full disk, an unwritable folder. Nothing of
    it is left behind."""


@dataclass
class Exported:
    shot: int
    preset: str
    path: str
    width: int
    height: int
    sha256: str = ""
    channel: str | None = None
    consent: str | None = None
    notes: tuple = ()

    def to_dict(self) -> dict:
        return {"shot": self.shot, "preset": self.preset, "path": self.path,
                "width": self.width, "height": self.height}


@dataclass
class Plan:
    shots: list  # Shot, in order
    skipped: list = field(default_factory=list)  # (shot id, why)


def slug(text: str) -> str:
    s = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()
    return s[:60] or "board"


def check_folder(to) -> Path:
    """The target folder, made if missing; refused when it cannot be written."""
    path = Path(to).expanduser()
    if path.exists() and not path.is_dir():
        raise ExportError(f"{path} is not a folder")
    try:
        path.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".atelier-probe-", dir=path)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise ExportError(f"cannot write to {path}: {exc.strerror or exc}") from None
    return path


def channels_of(preset: Preset, board_use_channels) -> list[str]:
    if preset.channel is not None:
        return [preset.channel]
    return list(board_use_channels or ["internal"])


def board_channels(studio, board_id) -> list[str]:
    """The channels a board's use declares (talent area), else none."""
    try:
        from app.talent import repo

        use = getattr(repo, "board_use", None)
        if use is not None:
            u = use(studio, board_id)
            chans = getattr(u, "channels", None) if u is not None else None
            if chans:
                return list(chans)
    except Exception:  # noqa: BLE001 - no declared use: the original counts as internal
        pass
    return []


def record_head(studio) -> str:
    """The head of the studio's sealed record ('COUNT:MAC'): it ties an exported file to
    the record it came from."""
    from app.store import repo

    return repo.record_head(studio)


def plan(studio, shots, presets, include_unapproved=False, from_board=False) -> Plan:
    """Check every rule before any work. Shots named one by one must pass; from a board,
    unapproved shots are left out (and said so). A twin outside its consent refuses the
    whole export (rules.ExportRefused)."""
    keep, skipped = [], []
    for shot in shots:
        try:
            rules.check_approved(shot, include_unapproved)
        except rules.ExportRefused as exc:
            if not from_board:
                raise
            skipped.append((shot.id, str(exc)))
            continue
        keep.append(shot)
    for shot in keep:
        chans = sorted({c for p in presets for c in channels_of(p, board_channels(studio, shot.board_id))})
        rules.check_consent(studio, shot, chans)
    return Plan(keep, skipped)


def label(image, text: str = "AI-generated", safe_bottom: float = 0.0):
    """A small, legible mark in the lower left corner (above a story's reply bar)."""
    from PIL import ImageDraw, ImageFont

    img = image.copy()
    size = max(12, round(img.height * 0.022))
    try:
        font = ImageFont.load_default(size=size)
    except TypeError:  # Pillow without FreeType
        font = ImageFont.load_default()
    draw = ImageDraw.Draw(img)
    x0, y0, x1, y1 = draw.textbbox((0, 0), text, font=font)
    pad = size // 2
    margin = max(8, round(img.width * 0.02))
    bottom = img.height - margin - round(img.height * safe_bottom)
    box = (margin, bottom - (y1 - y0) - 2 * pad, margin + (x1 - x0) + 2 * pad, bottom)
    draw.rounded_rectangle(box, radius=pad, fill=(0, 0, 0))
    draw.text((box[0] + pad - x0, box[1] + pad - y0), text, font=font, fill=(255, 255, 255))
    return img


def _render(studio, shot, preset: Preset, fmt: str, fit_mode: str, visible_label: bool,
            with_recipe: bool, sid: str, board_name: str, consent, head, ident, title: str):
    from PIL import Image

    with Image.open(studio.images.path(shot.image)) as src:
        src.load()
        picture = src.convert("RGB")
    fit = None
    if preset.width is None:
        out = picture
        notes = ()
    else:
        fit = framing.plan(picture, preset.width, preset.height, fit_mode)
        out = framing.apply(picture, fit, preset.width, preset.height)
        notes = fit.notes
    if visible_label:
        out = label(out, safe_bottom=preset.safe_bottom)
    out = watermark.embed(out, watermark.studio_tag(sid), shot.id)
    prompt = shot.prompt if with_recipe else None
    xmp = credentials.xmp_packet(shot_ref=f"atelier:{sid}:shot:{shot.id}", prompt=prompt)
    parameters = None
    if with_recipe and fmt == "png":
        from app.core.a1111 import parameters_text

        parameters = parameters_text(shot.recipe())
    data = credentials.encode(out, fmt, xmp, parameters)
    man = credentials.manifest(title=title, shot=shot, studio_id=sid, board=board_name,
                               preset=preset.name, fit=fit, size=out.size, consent=consent,
                               record_head=head, watermarked=True, with_recipe=with_recipe)
    signed = credentials.sign(data, FORMATS[fmt][2], man, ident)
    return signed, out.size, notes


def _write_temp(folder: Path, data: bytes) -> Path:
    fd, tmp = tempfile.mkstemp(prefix=".atelier-export-", suffix=".part", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return Path(tmp)


def _claim_name(folder: Path, tmp: Path, stem: dict, ext: str, start: int) -> Path:
    """Give the temporary file its final name, the first free version from `start`
    (a hard link fails on an existing name: nothing is ever overwritten)."""
    version = start
    while True:
        target = folder / NAME_PATTERN.format(version=version, ext=ext, **stem)
        try:
            os.link(tmp, target)
            return target
        except FileExistsError:
            version += 1
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV, errno.EMLINK):
                raise
            # A file system without hard links: exclusive create, then rename over it.
            try:
                fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                version += 1
                continue
            os.close(fd)
            os.replace(tmp, target)
            return target


def export(studio, shots, presets, to, *, fmt="jpeg", fit="crop", visible_label=False,
           with_recipe=False, include_unapproved=False, from_board=False, progress=None):
    """Export; returns (list[Exported], Plan). Raises ExportError (bad input),
    rules.ExportRefused (a rule), ExportFailed (could not finish; nothing left behind)."""
    from app.store import repo

    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}: jpeg, png or webp")
    if fit not in ("crop", "pad"):
        raise ExportError("--fit is crop or pad")
    folder = check_folder(to)
    the_plan = plan(studio, shots, presets, include_unapproved, from_board)
    jobs = [(s, p) for s in the_plan.shots for p in presets]
    if not jobs:
        return [], the_plan
    try:
        sid = journal.studio_id(studio)
        ident = signing.identity(sid)
    except signing.SigningError as exc:
        raise ExportFailed(str(exc)) from None
    except OSError as exc:
        raise ExportFailed(f"cannot write the studio's delivery id: {exc.strerror or exc}") from None
    head = record_head(studio)
    boards = {}
    earlier = journal.exported_shots(studio)
    temps: list[tuple[Path, Exported, dict, str, int]] = []
    finals: list[Path] = []
    ext = FORMATS[fmt][1]
    try:
        for i, (shot, preset) in enumerate(jobs, 1):
            if shot.board_id not in boards:
                boards[shot.board_id] = repo.get_board(studio, shot.board_id).name
            board_name = boards[shot.board_id]
            if progress:
                progress(i - 1, len(jobs), f"shot {shot.id} → {preset.name}")
            chans = channels_of(preset, board_channels(studio, shot.board_id))
            consent = rules.check_consent(studio, shot, chans)
            stem = {"board": slug(board_name), "shot": shot.id, "preset": preset.name}
            version = 1 + sum(1 for e in earlier.get(shot.id, []) if e.get("preset") == preset.name)
            title = NAME_PATTERN.format(version=version, ext=ext, **stem)
            data, size, notes = _render(studio, shot, preset, fmt, fit, visible_label, with_recipe,
                                        sid, board_name, consent, head, ident, title)
            tmp = _write_temp(folder, data)
            item = Exported(shot.id, preset.name, "", size[0], size[1],
                            hashlib.sha256(data).hexdigest(), ",".join(chans), consent, notes)
            temps.append((tmp, item, stem, ext, version))
        for tmp, item, stem, ext_, version in temps:
            target = _claim_name(folder, tmp, stem, ext_, version)
            finals.append(target)
            item.path = str(target)
        lines = [{"shot": it.shot, "board": boards[next(s.board_id for s in the_plan.shots if s.id == it.shot)],
                  "preset": it.preset, "channel": it.channel, "path": it.path, "sha256": it.sha256,
                  "width": it.width, "height": it.height, "consent": it.consent}
                 for _, it, *_ in temps]
        journal.record(studio, lines)
    except credentials.CredentialsError as exc:
        _undo(temps, finals)
        raise ExportFailed(str(exc)) from None
    except OSError as exc:
        _undo(temps, finals)
        what = "the disk is full" if exc.errno == errno.ENOSPC else (exc.strerror or str(exc))
        raise ExportFailed(f"export to {folder} failed: {what}; nothing was exported") from None
    except BaseException:
        _undo(temps, finals)
        raise
    for tmp, *_ in temps:
        try:
            tmp.unlink()
        except OSError:
            pass
    items = [it for _, it, *_ in temps]
    for it in items:
        shot = next(s for s in the_plan.shots if s.id == it.shot)
        for channel in (it.channel or "").split(","):
            rules.record_ledger(studio, shot, it.consent, channel)
    if progress:
        progress(len(jobs), len(jobs), "done")
    return items, the_plan


def _undo(temps, finals) -> None:
    for path in finals + [t[0] for t in temps]:
        try:
            os.unlink(path)
        except OSError:
            pass
