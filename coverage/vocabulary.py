"""The registry's words for 务工状况 and 劳动技能, read the way sheets write them.

What is stored is always a value of ``WorkStatus`` or ``LabourCategory``: the national
system's (全国扶贫开发信息系统) own words, with full-width brackets. A sheet cell may
carry spaces, half-width brackets or an older spelling; ``canonical_work_status`` and
``canonical_labour_category`` turn it into the stored value, or None when the cell
says something the registry does not use.
"""

from .models import LabourCategory, WorkStatus

# The national words, in the system's order, for messages that list them. A blank
# 务工状况 is allowed too (not given, or not working); a blank 劳动技能 is not.
WORK_STATUS_WORDS = tuple(value for value in WorkStatus.values if value)
LABOUR_CATEGORY_WORDS = tuple(LabourCategory.values)

# Other spellings still met in files, each with the national word it stands for. Keys
# are written as ``_spelling`` leaves them: no whitespace, full-width brackets.
WORK_STATUS_ALIASES = {
    # An earlier version of DESIGN.md used these words; data entered then carries them.
    "省内县外务工": WorkStatus.IN_PROVINCE,
    "县内务工": WorkStatus.IN_COUNTY,
    "乡镇内务工": WorkStatus.IN_TOWN,
    "镇内务工": WorkStatus.IN_TOWN,
    # At home: not working away, which the national system leaves blank.
    "在家": WorkStatus.NOT_GIVEN,
    # The national word without its brackets.
    "乡镇外县内务工": WorkStatus.IN_COUNTY,
}
LABOUR_CATEGORY_ALIASES = {
    # Half of the national word, as some county offices write it.
    "弱劳动力": LabourCategory.WEAK,
    "半劳动力": LabourCategory.WEAK,
}

_HALF_TO_FULL_WIDTH = str.maketrans({"(": "（", ")": "）"})


def _spelling(text: str | None) -> str:
    """``text`` without any whitespace (full-width spaces included), brackets full-width."""
    return "".join((text or "").split()).translate(_HALF_TO_FULL_WIDTH)


def canonical_work_status(text: str | None) -> str | None:
    """The stored 务工状况 for what a sheet cell says: "" for a blank cell, None if the
    cell is not a word the registry uses."""
    spelling = _spelling(text)
    if spelling in WorkStatus.values:
        return spelling
    alias = WORK_STATUS_ALIASES.get(spelling)
    return None if alias is None else str(alias)


def canonical_labour_category(text: str | None) -> str | None:
    """The stored 劳动技能 for what a sheet cell says, None if the cell is blank or not a
    word the registry uses."""
    spelling = _spelling(text)
    if spelling in LabourCategory.values:
        return spelling
    alias = LABOUR_CATEGORY_ALIASES.get(spelling)
    return None if alias is None else str(alias)
