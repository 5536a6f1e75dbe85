"""A proposal's reasons in the reader's language, from the facts the scorer recorded
(matching.scoring.PairScorer.explain lists each criterion and its arguments)."""

from django.utils.translation import gettext as _

from mentors.models import ExpertType, Stage


def _label(choices, value):
    try:
        return choices(value).label
    except ValueError:
        return value  # a value from an older list still reads as itself


def _text_template(args) -> str:
    if args.get("need_source") == "product":
        if args.get("source") == "introduction":
            return _("Product “%(need)s” ↔ introduction “%(expertise)s”")
        return _("Product “%(need)s” ↔ expertise “%(expertise)s”")
    if args.get("source") == "introduction":
        return _("Needs “%(need)s” ↔ introduction “%(expertise)s”")
    return _("Needs “%(need)s” ↔ expertise “%(expertise)s”")


def describe(reason: dict) -> str:
    """One reason as a short phrase, e.g. 同在罗定市 or 需求「想开微店」↔ 擅长「微店运营」.

    Reasons stored before the scorer told apart an expert based in the county from one
    serving it from elsewhere have no ``relation``: all they prove is that the expert
    serves the county, so they read 服务罗定市.
    """
    args = reason.get("args", {})
    criterion = reason.get("criterion")
    if criterion == "text":
        return _text_template(args) % {
            "need": args.get("need", ""),
            "expertise": args.get("expertise", ""),
        }
    if criterion == "county":
        if args.get("relation") == "same":
            return _("Both in %(county)s") % {"county": args.get("county", "")}
        return _("Serves %(county)s") % {"county": args.get("county", "")}
    if criterion == "product":
        if args.get("tag"):
            return _("%(product)s ↔ expertise “%(tag)s”") % args
        return _("Knows %(product)s") % args
    if criterion == "channel":
        if args.get("tag"):
            return _("Sells on %(channel)s ↔ expertise “%(tag)s”") % args
        return _("Knows selling on %(channel)s") % args
    if criterion == "stage":
        return _("%(stage)s suits a %(expert_type)s") % {
            "stage": _label(Stage, args.get("stage", "")),
            "expert_type": _label(ExpertType, args.get("expert_type", "")),
        }
    return str(criterion)


def describe_all(reasons) -> list[str]:
    return [describe(reason) for reason in reasons]
