"""`atelier talent add|list|forget` and `atelier consent grant|revoke|list`."""

from __future__ import annotations

import json

from app.commands._studio import check_text, command_studio


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("talent", help="real models, their reference photos and twins")
    sub = p.add_subparsers(dest="talent_command", required=True)
    a = sub.add_parser("add", help="add a talent (reference photos and twin adapter are copied into the studio)")
    a.add_argument("name")
    a.add_argument("--agency", required=True, help="the agency (or the talent themselves)")
    a.add_argument("--reference", action="append", default=[], metavar="IMAGE",
                   help="a reference photo of the talent's face (repeatable)")
    a.add_argument("--adapter", metavar="PATH", help="the twin: a LoRA .safetensors file")
    a.add_argument("--trigger", metavar="WORD", help="the twin's trigger word")
    a.add_argument("--json", action="store_true")
    a.set_defaults(run=run_add)
    ls = sub.add_parser("list", help="the talents, with their twins and consents")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(run=run_list)
    f = sub.add_parser("forget", help="erase a talent's photos and adapter (the record of use is kept)")
    f.add_argument("name")
    f.add_argument("--json", action="store_true")
    f.set_defaults(run=run_forget)

    c = subparsers.add_parser("consent", help="a talent's written consent to a use")
    csub = c.add_subparsers(dest="consent_command", required=True)
    g = csub.add_parser("grant", help="record a consent; prints its id")
    g.add_argument("talent")
    g.add_argument("--client", required=True)
    g.add_argument("--channels", required=True, metavar="LIST",
                   help="comma-separated: ecommerce, social, campaign, print, ooh, internal")
    g.add_argument("--territories", required=True, metavar="LIST", help="ISO country codes, EU, WORLD")
    g.add_argument("--from", dest="valid_from", required=True, metavar="DATE", help="YYYY-MM-DD, inclusive")
    g.add_argument("--until", dest="valid_until", required=True, metavar="DATE", help="YYYY-MM-DD, inclusive")
    g.add_argument("--fee", required=True, metavar="AMOUNT", help="per image")
    g.add_argument("--currency", required=True, metavar="CODE")
    g.add_argument("--basis", default="export", choices=("export", "render"),
                   help="what the fee is paid for (default: export)")
    g.add_argument("--approval-required", action="store_true",
                   help="each picture needs the talent's approval before it is published")
    g.add_argument("--evidence", metavar="FILE", help="the signed agreement")
    g.add_argument("--json", action="store_true")
    g.set_defaults(run=run_grant)
    r = csub.add_parser("revoke", help="revoke a consent (it is kept, marked revoked)")
    r.add_argument("id")
    r.add_argument("--by", required=True, metavar="NAME")
    r.add_argument("--role", required=True, help="stylist, art-director, photographer or talent")
    r.add_argument("--why", required=True, metavar="TEXT")
    r.add_argument("--json", action="store_true")
    r.set_defaults(run=run_revoke)
    cl = csub.add_parser("list", help="consents, oldest first")
    cl.add_argument("--talent", metavar="NAME")
    cl.add_argument("--json", action="store_true")
    cl.set_defaults(run=run_consents)


def run(args) -> int:
    return args.run(args)


def _text(args, *names):
    for n in names:
        check_text(getattr(args, n, None), f"--{n.replace('_', '-')}")


def run_add(args) -> int:
    from app.talent import repo

    _text(args, "name", "agency", "adapter", "trigger")
    for ref in args.reference:
        check_text(ref, "--reference")
    with command_studio(args) as studio:
        t = repo.add_talent(studio, args.name, args.agency, args.reference, args.adapter, args.trigger)
    if args.json:
        print(json.dumps(t.to_dict(), ensure_ascii=False, indent=2))
    else:
        twin = f", twin {t.adapter_name} (trigger {t.trigger_word!r})" if t.adapter else ""
        print(f"talent {t.id}: {t.name} ({t.agency}), {len(t.photos)} reference photo"
              f"{'' if len(t.photos) == 1 else 's'}{twin}")
    return 0


def run_list(args) -> int:
    from app.talent import repo

    with command_studio(args) as studio:
        talents = repo.list_talents(studio)
        consents = repo.consents(studio)
    if args.json:
        out = [{**t.to_dict(), "consents": [c.id for c in consents if c.talent_id == t.id]} for t in talents]
        print(json.dumps({"talents": out}, ensure_ascii=False, indent=2))
        return 0
    if not talents:
        print("no talents yet; add one with `atelier talent add NAME --agency AGENCY`")
    for t in talents:
        mine = [c for c in consents if c.talent_id == t.id]
        live = sum(1 for c in mine if not c.revoked)
        twin = f"twin {t.adapter_name} ({t.trigger_word or 'no trigger word'})" if t.adapter else "no twin"
        gone = f"  forgotten {t.forgotten_at[:10]}" if t.forgotten_at else ""
        print(f"{t.id:>4}  {t.name}  {t.agency}  {len(t.photos)} photos  {twin}  "
              f"{len(mine)} consents ({live} not revoked){gone}")
    return 0


def run_forget(args) -> int:
    from app.talent import repo

    _text(args, "name")
    with command_studio(args) as studio:
        t = repo.forget_talent(studio, args.name)
    if args.json:
        print(json.dumps(t.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(f"{t.name}: reference photos and twin adapter erased; the consents and the ledger are kept")
    return 0


def run_grant(args) -> int:
    from app.talent import repo

    _text(args, "talent", "client", "channels", "territories", "valid_from", "valid_until", "fee",
          "currency", "evidence")
    with command_studio(args) as studio:
        c = repo.grant_consent(studio, args.talent, args.client, args.channels, args.territories,
                               args.valid_from, args.valid_until, args.fee, args.currency, args.basis,
                               args.approval_required, args.evidence)
    if args.json:
        print(json.dumps(c.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(c.id)
    return 0


def run_revoke(args) -> int:
    from app.talent import repo

    _text(args, "id", "by", "role", "why")
    with command_studio(args) as studio:
        c = repo.revoke_consent(studio, args.id, args.by, args.role, args.why)
    if args.json:
        print(json.dumps(c.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(f"consent {c.id} revoked {c.revocation.describe()}")
    return 0


def run_consents(args) -> int:
    from app.talent import repo

    _text(args, "talent")
    with command_studio(args) as studio:
        found = repo.consents(studio, args.talent)
    if args.json:
        print(json.dumps({"consents": [c.to_dict() for c in found]}, ensure_ascii=False, indent=2))
        return 0
    if not found:
        print("no consents yet; record one with `atelier consent grant`")
    for c in found:
        print(f"consent {c.id}: {c.reads()}")
    return 0
