"""Who may decide what: one rule for the window and the command line.

- Approving or rejecting a shot or a board is the art director's.
- Holding and requesting changes (and rating and notes) are everyone's.
- Rejecting and requesting changes need a reason; approving and holding may give one.
- While a board is approved its shots are settled: a decision on one of them needs the board
  reopened first, and only an art director reopens it, by recording another decision on
  the board (hold, changes or reject), which is kept in the history like any other.

`refusal()` says why a decision is not allowed (or None) without touching the studio, so the
window can disable what a person may not do; `decide()` checks and records. A refusal is a
`RuleViolation` (the command line's exit 4).
"""

from __future__ import annotations

from app.store import repo, validate
from app.store.errors import RuleViolation
from app.store.records import Decision

ART_DIRECTOR = "art-director"
ART_DIRECTORS_ONLY = frozenset({"approved", "rejected"})
NEEDS_REASON = frozenset({"rejected", "changes-requested"})
_WORD = {"approved": "approve", "rejected": "reject", "hold": "hold",
         "changes-requested": "request changes on"}


def needs_reason(verdict: str) -> bool:
    return validate.verdict(verdict) in NEEDS_REASON


def refusal(verdict: str, role: str, *, on_board: bool, board_status: str | None = None,
            reason: str | None = None, check_reason: bool = True) -> str | None:
    """Why this decision is refused, in one sentence; None when it is allowed.
    `board_status` is the status of the board concerned (the shot's board for a shot)."""
    verdict, role = validate.verdict(verdict), validate.role(role)
    what = "a whole board" if on_board else "a shot"
    if verdict in ART_DIRECTORS_ONLY and role != ART_DIRECTOR:
        return f"only an art director may {_WORD[verdict]} {what} (this is the {role} role)"
    if board_status == "approved":
        if not on_board:
            return ("the board is approved: an art director reopens it (hold, changes or "
                    "reject on the board) before its shots are decided again")
        if role != ART_DIRECTOR:
            return "the board is approved: only an art director may reopen it"
    if check_reason and verdict in NEEDS_REASON and not (reason or "").strip():
        return f"to {_WORD[verdict]} {what} give a reason (--why in the command line)"
    return None


def may(verdict: str, role: str | None, *, on_board: bool = False,
        board_status: str | None = None) -> bool:
    """Whether this role may make this kind of decision (the reason aside): for enabling
    actions in the window."""
    if not role:
        return False
    return refusal(verdict, role, on_board=on_board, board_status=board_status,
                   check_reason=False) is None


def board_status_of(studio, shot_id=None, board_id=None) -> str:
    if board_id is None:
        board_id = repo.get_shot(studio, shot_id).board_id
    return repo.get_board(studio, board_id).status


def decide(studio, verdict, person, role, reason=None, shot_id=None, board_id=None) -> Decision:
    """Check the rule and append the decision (RuleViolation when refused; InvalidInput,
    NotFound for bad input). The store writes it in one transaction."""
    verdict = validate.verdict(verdict)
    person = validate.name(person, "person")
    role = validate.role(role)
    reason = validate.long_text(reason, "reason", optional=True)
    status = board_status_of(studio, shot_id=shot_id, board_id=board_id)
    why = refusal(verdict, role, on_board=board_id is not None, board_status=status,
                  reason=reason)
    if why is not None:
        raise RuleViolation(why)
    return repo.decide(studio, verdict, person, role, reason=reason, shot_id=shot_id,
                       board_id=board_id)
