"""The ORM rows the matcher reads, turned into the plain profiles of matching.scoring."""

from django.db.models import Count

from mentors.models import Entrepreneur

from .scoring import EntrepreneurProfile, ExpertProfile


def entrepreneur_profiles(entrepreneurs) -> list[EntrepreneurProfile]:
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


def expert_profiles(experts, free_places: dict[int, int]) -> list[ExpertProfile]:
    rows = experts.prefetch_related("tags", "counties")
    return [
        ExpertProfile(
            key=x.pk,
            expert_type=x.expert_type,
            tags=tuple(t.name for t in x.tags.all()),
            introduction=x.introduction,
            counties=tuple(c.name for c in x.counties.all()),
            organisation_kind=x.organisation_kind,
            capacity=free_places[x.pk],
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
