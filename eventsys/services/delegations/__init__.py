"""Foreign delegations, technical visits and study trips: the rules (views and the API call these)."""

from eventsys.services.countries import country_name, is_country, language_name
from eventsys.services.delegations.checks import (
    DelegationFull,
    DelegationInput,
    DelegationInvalid,
    DelegationLocked,
    MemberInput,
    PairInput,
)
from eventsys.services.delegations.groups import (
    add_members,
    register_delegation,
    remove_member,
    replace_member,
)
from eventsys.services.delegations.status import (
    changes_deadline,
    delegation_from_link,
    delegation_of,
    delegation_status,
    event_delegations,
    link_token,
    member_seats,
    status_label,
    update_arrangements,
)

__all__ = [
    "DelegationFull",
    "DelegationInput",
    "DelegationInvalid",
    "DelegationLocked",
    "MemberInput",
    "PairInput",
    "add_members",
    "changes_deadline",
    "country_name",
    "delegation_from_link",
    "delegation_of",
    "delegation_status",
    "event_delegations",
    "is_country",
    "language_name",
    "link_token",
    "member_seats",
    "register_delegation",
    "remove_member",
    "replace_member",
    "status_label",
    "update_arrangements",
]
