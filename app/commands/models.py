"""`atelier models [--json]`: the models found on this machine, and the demo model."""

from __future__ import annotations

import json

from app.commands._studio import studio_path


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("models", help="models found on this machine, and the demo model")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=run)


def run(args) -> int:
    from app.engine.device import DeviceError, choose
    from app.engine.models import find_models, human_size, search_paths

    models = find_models(studio=studio_path(args))
    try:
        placement = choose()
        device = {"device": placement.device, "dtype": placement.dtype}
    except DeviceError as exc:
        device = {"device": None, "dtype": None, "problem": str(exc)}
    if args.json:
        print(json.dumps({"models": [m.to_dict() for m in models], **device,
                          "search_paths": [str(p) for p in search_paths(studio=studio_path(args))]},
                         ensure_ascii=False, indent=2))
        return 0
    where = device.get("problem") or f"{device['device']} ({device['dtype']})"
    print(f"renders on: {where}")
    for m in models:
        state = "ready" if m.runnable else "cannot run"
        lic = f", licence {m.license}" if m.license else ""
        note = f" — {m.reason}" if m.reason else ""
        print(f"{m.name}  [{m.family or 'unknown family'}, {human_size(m.size_bytes)}{lic}]  {state}{note}")
        if m.kind != "demo":
            print(f"    {m.path}")
    if all(m.kind == "demo" or not m.runnable for m in models):
        print("only the demo model can render (placeholder pictures). Add a diffusers folder or a "
              ".safetensors checkpoint to one of: " + ", ".join(str(p) for p in search_paths(studio=studio_path(args))))
    return 0

