"""Finding a village however a sheet spells it.

The statistics bureau names village committees 牧羊村民委员会 or 牧羊村委会 and
communities 城东社区居民委员会; the poverty registry and most offices write 牧羊村 and
城东社区. Names are compared by ``place_key``: the committee suffixes shortened, brackets
of either width alike, spaces ignored. Several villages with one key in a town is an
ambiguity, reported with the candidates; an unknown name comes with the nearest names
of that town, so the clerk can see the typo.
"""

import difflib
import re
from collections import defaultdict

from django.utils.translation import gettext as _

from .models import Village

# Longest first: 社区居民委员会 also ends in 居民委员会.
SUFFIXES = (
    ("社区居民委员会", "社区"),
    ("社区居委会", "社区"),
    ("村民委员会", "村"),
    ("村委会", "村"),
    ("居民委员会", "居委会"),
)
FULL_TO_HALF = str.maketrans("（）", "()")
SUGGESTIONS = 3


def place_key(name: str) -> str:
    """``牧羊村民委员会`` → ``牧羊村``; ``旺村村民委员会`` → ``旺村``;
    ``满（lang）塘镇`` → ``满(lang)塘镇``."""
    text = re.sub(r"\s+", "", str(name)).translate(FULL_TO_HALF)
    for suffix, short in SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix):
            base = text[: -len(suffix)]
            # 旺村村民委员会 is the committee of 旺村, not of 旺村村.
            text = base if base.endswith(short) else base + short
            break
    # And a sheet that writes 旺村村 means it too.
    while text.endswith("村村"):
        text = text[:-1]
    return text


class VillageFinder:
    """Every village, indexed by the keys of its county, town and own name."""

    def __init__(self, villages=None):
        if villages is None:
            villages = Village.objects.with_places()
        self.by_place = defaultdict(list)
        self.towns = defaultdict(set)  # county key -> town keys
        self.names_in_town = defaultdict(list)  # (county key, town key) -> village names
        self.counties = {}
        for village in villages:
            county, town = village.town.county.name, village.town.name
            place = (place_key(county), place_key(town))
            self.counties[place[0]] = county
            self.towns[place[0]].add(place[1])
            self.names_in_town[place].append(village.name)
            self.by_place[(*place, place_key(village.name))].append(village)

    def matches(self, county, town, name) -> list[Village]:
        return self.by_place.get((place_key(county), place_key(town), place_key(name)), [])

    def find(self, county, town, name):
        """(village, None) or (None, (code, message)) for the place as the sheet writes it."""
        found = self.matches(county, town, name)
        if len(found) == 1:
            village = found[0]
            if not village.is_active:
                return None, (
                    "inactive_village",
                    _(
                        "the village %(place)s is no longer on the official list (made "
                        "inactive when the regions were last updated)."
                    )
                    % {"place": village.full_name},
                )
            return village, None
        place = f"{county}/{town}/{name}"
        if found:
            return None, (
                "ambiguous_village",
                _("more than one village matches %(place)s: %(candidates)s.")
                % {
                    "place": place,
                    "candidates": "、".join(sorted(village.full_name for village in found)),
                },
            )
        return None, ("unknown_village", self._unknown(county, town, name))

    def _unknown(self, county, town, name):
        county_key, town_key = place_key(county), place_key(town)
        if county_key not in self.towns:
            return _("there is no county “%(county)s”; the counties are %(known)s.") % {
                "county": county,
                "known": "、".join(sorted(self.counties.values())) or "—",
            }
        if town_key not in self.towns[county_key]:
            near = difflib.get_close_matches(town_key, self.towns[county_key], SUGGESTIONS, 0.4)
            message = _("%(county)s has no town “%(town)s”.") % {"county": county, "town": town}
            return message + _suggestion(near)
        names = self.names_in_town[(county_key, town_key)]
        near_keys = difflib.get_close_matches(
            place_key(name), [place_key(n) for n in names], SUGGESTIONS, 0.4
        )
        near = [n for key in near_keys for n in names if place_key(n) == key]
        message = _("%(county)s%(town)s has no village “%(village)s”.") % {
            "county": county,
            "town": town,
            "village": name,
        }
        return message + _suggestion(near)


def _suggestion(names) -> str:
    if not names:
        return ""
    return " " + _("Did you mean %(names)s?") % {"names": "、".join(f"“{n}”" for n in names)}
