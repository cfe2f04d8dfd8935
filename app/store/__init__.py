"""The history database (sqlite-utils) and the image store on disk.

Open a studio with `app.store.db.open_studio`; read and write it only through
`app.store.repo` (functions taking and returning the dataclasses of `app.store.records`).
"""

from app.store.db import Studio, open_studio  # noqa: F401
from app.store.errors import (InvalidInput, NotFound, RuleViolation, StoreError,  # noqa: F401
                              StudioDamaged, StudioLocked)
