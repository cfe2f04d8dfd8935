"""`atelier likeness IMAGE|SHOT --talent NAME [--json]`: how close a picture's face is to
the talent's reference faces (dlib's face descriptor, offline; app/talent/likeness.py)."""

from __future__ import annotations

import json
import os
import sys

from app.commands._studio import check_text, command_studio


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("likeness", help="is the face in a picture or shot the talent's?")
    p.add_argument("target", metavar="IMAGE|SHOT", help="a picture file, or a shot id")
    p.add_argument("--talent", required=True, metavar="NAME")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=run)


def run(args) -> int:
    from app.cli import BAD_INPUT, UsageError
    from app.talent import likeness, repo

    target = check_text(args.target, "the picture")
    check_text(args.talent, "--talent")
    with command_studio(args) as studio:
        talent = repo.get_talent(studio, args.talent)
        if os.path.isfile(target):
            source = target
        elif target.lstrip("#").isdigit():
            from app.store.repo import get_shot

            shot = get_shot(studio, target)
            source = studio.images.path(shot.image)
        else:
            raise UsageError(f"{target!r} is neither a picture file nor a shot id")
        try:
            image = likeness._open(source)
        except OSError:
            raise UsageError(f"{target!r} is not a picture Atelier can read") from None
        try:
            refs = likeness.reference_descriptors(studio, talent)
        except likeness.LikenessUnavailable as exc:
            raise UsageError(str(exc)) from None
        if not refs:
            why = ("its reference photos were erased" if talent.forgotten_at else
                   "none of its reference photos shows a face the model finds" if talent.photos else
                   "it has no reference photos (add them with `atelier talent add … --reference IMAGE`)")
            print(f"atelier: {talent.name} has no usable reference face: {why}", file=sys.stderr)
            return BAD_INPUT
        result = likeness.compare(image, refs)
    if args.json:
        print(json.dumps(result.to_dict()))
    elif not result.face_found:
        print(f"no face found in {target}")
    else:
        verdict = "the same person" if result.same_person else "not the same person"
        print(f"{verdict} as {talent.name}: distance {result.distance:.3f} "
              f"(threshold {result.threshold}, {result.references} reference faces)")
    return 0
