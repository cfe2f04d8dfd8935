"""The words the window shows for statuses, verdicts and roles (one definition each).

The stored words (`approved`, `changes-requested`, `art-director`) are the store's
(`app.store.records`); people read these instead."""

from __future__ import annotations

from app.store.records import ROLES, STATUSES

STATUS = {"new": "New", "approved": "Approved", "rejected": "Rejected", "hold": "On hold",
          "changes-requested": "Changes requested"}
BADGE = {"new": "NEW", "approved": "APPROVED", "rejected": "REJECTED", "hold": "HOLD",
         "changes-requested": "CHANGES"}
VERDICT_ACTION = {"approved": "Approve", "rejected": "Reject", "hold": "Hold",
                  "changes-requested": "Request changes"}
ROLE = {"stylist": "Stylist", "art-director": "Art director", "photographer": "Photographer"}

assert set(STATUS) == set(STATUSES) and set(ROLE) == set(ROLES)


def status(word: str | None) -> str:
    """'changes-requested' -> 'Changes requested'; an unknown word is shown as it is."""
    return STATUS.get(word or "new", str(word))


def role(word: str | None) -> str:
    return ROLE.get(word or "", str(word or ""))
