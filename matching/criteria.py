"""The matcher's criteria and their default weights: plain constants, without NumPy or
scikit-learn, so the CMS pages that show weights do not load the numeric libraries into
a web worker (matching.scoring, which needs them, imports these from here)."""

CRITERIA = ("text", "county", "product", "channel", "stage")

# Without any staff decisions yet, these say what a careful coordinator weighs. Text
# similarity of char n-grams between a one-sentence need and an introduction seldom
# exceeds 0.4 even for a good pair, so it gets the largest weight to count as much as the
# 0/1 criteria. Mentoring meets in person, so a shared county matters next; the stage fit
# decides whether the advice is usable at all; product and channel knowledge are a bonus.
DEFAULT_WEIGHTS = {"text": 1.0, "county": 0.5, "product": 0.3, "channel": 0.3, "stage": 0.4}
