"""`atelier models [--json]`: the models and adapters found on this machine, and the demo
model. Answers without importing torch or diffusers (headers and configs only)."""

from __future__ import annotations

import json

from app.commands._studio import studio_path


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("models", help="models and adapters found on this machine, and the demo model")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=run)


def run(args) -> int:
    from app.engine.device import DeviceError, guess
    from app.engine.models import human_size, scan, search_paths

    models, adapters = scan(studio=studio_path(args))
    try:
        dev, dtype = guess()
        device = {"device": dev, "dtype": dtype}
    except DeviceError as exc:
        device = {"device": None, "dtype": None, "problem": str(exc)}
    paths = [str(p) for p in search_paths(studio=studio_path(args))]
    if args.json:
        print(json.dumps({"models": [m.to_dict() for m in models], "adapters": [a.to_dict() for a in adapters],
                          **device, "search_paths": paths}, ensure_ascii=False, indent=2))
        return 0
    where = device.get("problem") or f"{device['device']} ({device['dtype']})"
    print(f"renders on: {where}")
    for m in models:
        state = "ready" if m.runnable else "cannot run"
        lic = f", licence {m.license}{' (usual for the family)' if m.license_assumed else ''}" if m.license else ""
        edit = ", edits pictures by instruction" if m.edit else ""
        note = f" — {m.reason}" if m.reason else ""
        print(f"{m.name}  [{m.family or 'unknown family'}, {human_size(m.size_bytes)}{lic}{edit}]  {state}{note}")
        if m.kind != "demo":
            print(f"    {m.path}")
    for a in adapters:
        words = f", trigger: {', '.join(a.trigger_words)}" if a.trigger_words else ""
        note = f" — {a.reason}" if a.reason else ""
        print(f"{a.name}  [LoRA for {a.base_family or 'an unknown family'}, {human_size(a.size_bytes)}{words}]{note}")
        print(f"    {a.path}")
    if all(m.kind == "demo" or not m.runnable for m in models):
        print("only the demo model can render (a 64×64 sketch model for trying the studio). Add a diffusers folder or a "
              ".safetensors checkpoint to one of: " + ", ".join(paths))
    return 0
