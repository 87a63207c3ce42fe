"""The audit log: who created, changed or erased what, written inside the change's transaction."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from digiystava.access import Principal
from digiystava.accounts.tables import AuditEntry


async def record(
    principal: Principal,
    action: str,
    entity: str,
    entity_id: Any,
    fields: Iterable[str] = (),
) -> None:
    """Store one entry; ``fields`` are field names only, never their personal values."""
    await AuditEntry.insert(
        AuditEntry(
            user=principal.user_id or None,  # the command line and the system are nobody's account
            username=principal.username,
            action=action,
            entity=entity,
            entity_id=str(entity_id),
            fields=sorted(set(fields)),
        )
    )


def changed_fields(before: dict[str, Any], changes: dict[str, Any]) -> list[str]:
    """Names of the fields in ``changes`` whose value differs from ``before``."""
    return sorted(name for name, value in changes.items() if before.get(name) != value)
