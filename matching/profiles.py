"""The ORM rows the matcher reads, turned into the plain profiles of matching.scoring.

matching.scoring (scikit-learn) is imported inside the functions: the CMS imports this
module, and a web process that never matches should not load it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count

from mentors.models import Entrepreneur
from regions.models import County

if TYPE_CHECKING:
    from .scoring import EntrepreneurProfile, ExpertProfile


def entrepreneur_profiles(entrepreneurs) -> list[EntrepreneurProfile]:
    from .scoring import EntrepreneurProfile

    rows = entrepreneurs.select_related("village__town__county").prefetch_related(
        "products", "channels"
    )
    return [
        EntrepreneurProfile(
            key=e.pk,
            county=e.village.town.county.name,
            # Free-text products count as products too: "凉果" is as telling as "沙糖桔".
            products=tuple(p.name for p in e.products.all())
            + tuple(p for p in e.other_products.replace("，", "、").split("、") if p.strip()),
            needs=e.needs,
            channels=tuple(c.name for c in e.channels.all()),
            stage=e.stage,
            background=e.background,
        )
        for e in rows
    ]


def county_named_in(organisation: str, counties) -> str:
    """The county an organisation's name places it in, or "" when it names none.

    An expert record has no county of its own, only the counties served; the
    organisation's name is where the base shows (罗定市电子商务协会, 罗定职业技术学院).
    A county's short name (罗定 for 罗定市) counts only at the start of the name, where
    it is a place and not a word (新兴 in 云浮市新兴产业协会 is "emerging").
    """
    named = [
        county
        for county in counties
        if county in organisation or (len(county) > 2 and organisation.startswith(county[:-1]))
    ]
    return named[0] if len(named) == 1 else ""


def expert_profiles(experts, free_places: dict[int, int]) -> list[ExpertProfile]:
    from .scoring import ExpertProfile

    rows = experts.prefetch_related("tags", "counties")
    counties = list(County.objects.values_list("name", flat=True))
    return [
        ExpertProfile(
            key=x.pk,
            expert_type=x.expert_type,
            tags=tuple(t.name for t in x.tags.all()),
            introduction=x.introduction,
            counties=tuple(c.name for c in x.counties.all()),
            organisation_kind=x.organisation_kind,
            capacity=free_places[x.pk],
            base_county=county_named_in(x.organisation, counties),
        )
        for x in rows
    ]


def free_places(experts, moving: set[int]) -> dict[int, int]:
    """Each expert's places not taken by an entrepreneur who stays where they are.

    ``moving`` are the entrepreneurs this run may re-match: their current places count
    as free, since approving a new proposal moves them.
    """
    taken = dict(
        Entrepreneur.objects.filter(mentor__in=experts)
        .exclude(pk__in=moving)
        .values("mentor_id")
        .annotate(count=Count("pk"))
        .values_list("mentor_id", "count")
    )
    return {x.pk: max(0, x.capacity - taken.get(x.pk, 0)) for x in experts}
