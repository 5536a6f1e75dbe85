"""What the public 讲师团 page shows: the active experts, by type, optionally for one county."""

from django.db.models import Prefetch
from wagtail.images import get_image_model

from regions.models import County

from .models import Expert, ExpertType

# The one size the cards use; renditions of it are fetched with the experts.
PHOTO_FILTER = "fill-160x160"


def team_experts(county=None):
    """Active experts with free places annotated, and everything a card shows fetched at once.

    The photo comes with its card-sized rendition, so a page of photos costs no query per card.
    """
    photos = get_image_model().objects.prefetch_renditions(PHOTO_FILTER)
    experts = (
        Expert.objects.active()
        .with_places()
        .prefetch_related("tags", "counties", Prefetch("photo", queryset=photos))
        .order_by("name", "pk")
    )
    if county is not None:
        experts = experts.serving(county)
    return experts


def team_counties():
    """Counties that at least one active expert serves: the choices of the county filter."""
    return County.objects.filter(experts__is_active=True).distinct().order_by("name")


def by_type(experts):
    """``[(ExpertType, [expert, …]), …]`` in the order of ``ExpertType``, empty types left out."""
    groups = {expert_type: [] for expert_type in ExpertType}
    for expert in experts:
        groups[ExpertType(expert.expert_type)].append(expert)
    return [(expert_type, members) for expert_type, members in groups.items() if members]
