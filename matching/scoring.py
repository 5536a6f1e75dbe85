"""Scores for entrepreneur-expert pairs, their reasons, and weights learned from staff.

A pair's score is a weighted sum of criteria, and every criterion is an inner product of
an entrepreneur vector and an expert vector, so the whole score matrix is one sparse
product ``transform_entrepreneurs(E) @ transform_experts(X).T`` (the weights are folded
into the entrepreneur side). Nothing here knows Django: the caller turns ORM rows into the
two profile dataclasses below.
"""

import re
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.utils import ClassifierTags
from sklearn.utils.validation import check_is_fitted, validate_data

# Kept in a module of their own, which the CMS imports without NumPy; the matcher's code
# and its tests import them from here too.
from .criteria import CRITERIA, DEFAULT_WEIGHTS


@dataclass(frozen=True)
class EntrepreneurProfile:
    """A local entrepreneur (电商带头人) looking for a mentor, as the matcher sees them."""

    key: object
    county: str
    products: tuple[str, ...]
    needs: str
    channels: tuple[str, ...]
    stage: str
    background: str


@dataclass(frozen=True)
class ExpertProfile:
    """A lecturer-team expert (讲师团专家) offering mentoring places, as the matcher sees them.

    ``counties`` are the counties the expert serves; ``capacity`` their free places.
    ``base_county`` is the county the expert works in, "" when unknown (an expert record
    has no such field: ``matching.profiles`` reads it from the organisation's name).
    """

    key: object
    expert_type: str
    tags: tuple[str, ...]
    introduction: str
    counties: tuple[str, ...]
    organisation_kind: str
    capacity: int
    base_county: str = ""


@dataclass(frozen=True)
class Reason:
    """One criterion's share of a pair's score, with the facts to phrase it in Chinese.

    ``text_args`` are the values for the sentence, not the sentence: the caller formats it
    with gettext (see ``PairScorer.explain`` for each criterion's arguments).
    """

    criterion: str
    contribution: float
    text_args: dict = field(default_factory=dict)


COUNTIES = ("云城区", "云安区", "新兴县", "郁南县", "罗定市")
EXPERT_TYPES = ("创业指导专家", "农村电商专家", "农业技术专家", "电商企业家")
STAGES = ("想法阶段", "已开店", "稳定经营")
CHANNELS = ("淘宝", "拼多多", "微信小店/微店", "抖音", "线下")


# Which expertise tags serve a sales channel. A channel missing here (线下) is only matched
# when an expert's introduction names it.
CHANNEL_TAGS = {
    "抖音": ("直播带货", "短视频"),
    "微信小店/微店": ("微店运营",),
    "淘宝": ("开网店",),
    "拼多多": ("开网店",),
}

# Which expertise tags help with a kind of product even when the expert never names it:
# fresh fruit and livestock travel cold, grain and herbs sell on their brand, stone
# crafts on their packaging. Worth half of an expert who names the product.
PRODUCT_TAGS = {
    "沙糖桔": ("冷链物流", "种植技术"),
    "无核黄皮": ("冷链物流", "种植技术"),
    "禽畜": ("冷链物流",),
    "南药": ("种植技术", "农产品品牌"),
    "肉桂": ("种植技术", "农产品品牌"),
    "罗定稻米": ("农产品品牌", "种植技术"),
    "石材工艺品": ("包装设计",),
}
PRODUCT_TAG_SHARE = 0.5

# How much each kind of expert helps at each business stage: someone with only an idea
# needs a start-up mentor (创业指导) far more than a supply-chain specialist; a running
# shop needs e-commerce operations; a steady business gains most from an entrepreneur who
# has scaled one.
STAGE_TYPE_FIT = {
    "想法阶段": {"创业指导专家": 1.0, "农村电商专家": 0.7, "农业技术专家": 0.3, "电商企业家": 0.5},
    "已开店": {"创业指导专家": 0.5, "农村电商专家": 1.0, "农业技术专家": 0.5, "电商企业家": 0.8},
    "稳定经营": {"创业指导专家": 0.3, "农村电商专家": 0.7, "农业技术专家": 0.6, "电商企业家": 1.0},
}

_CLAUSE_BREAK = re.compile(r"[\s，。、；：！？,.;:!?（）()“”\"'《》【】…~～·]+")


def split_clauses(text: str) -> list[str]:
    """A Chinese text cut at punctuation into the clauses a reason can quote."""
    return [clause for clause in _CLAUSE_BREAK.split(text) if clause]


def _entrepreneur_text(entrepreneur: EntrepreneurProfile) -> str:
    return " ".join(split_clauses(entrepreneur.needs) + list(entrepreneur.products))


def _expert_text(expert: ExpertProfile) -> str:
    return " ".join(split_clauses(expert.introduction) + list(expert.tags))


def _one_hot_rows(values_per_row, vocabulary: dict, normalise: bool) -> sp.csr_matrix:
    """Rows with a 1 (or 1/count) in the column of each known value."""
    rows, cols, data = [], [], []
    for i, values in enumerate(values_per_row):
        known = [vocabulary[v] for v in dict.fromkeys(values) if v in vocabulary]
        share = 1.0 / len(values) if normalise and values else 1.0
        rows += [i] * len(known)
        cols += known
        data += [share] * len(known)
    shape = (len(values_per_row), len(vocabulary))
    return sp.csr_matrix((data, (rows, cols)), shape=shape, dtype=np.float64)


def _mentions(expert: ExpertProfile, word: str) -> bool:
    return word in expert.introduction or any(word in tag for tag in expert.tags)


def _product_fit(expert: ExpertProfile, product: str) -> tuple[float, str | None]:
    """How well an expert covers a product, and the tag that does it (None if named)."""
    if _mentions(expert, product):
        return 1.0, None
    for tag in PRODUCT_TAGS.get(product, ()):
        if tag in expert.tags:
            return PRODUCT_TAG_SHARE, tag
    return 0.0, None


def _channel_fit(expert: ExpertProfile, channel: str) -> tuple[float, str | None]:
    """Whether an expert covers a sales channel, and the tag that does it (None if named)."""
    for tag in CHANNEL_TAGS.get(channel, ()):
        if tag in expert.tags:
            return 1.0, tag
    if any(_mentions(expert, name) for name in channel.split("/")):
        return 1.0, None
    return 0.0, None


class PairScorer(BaseEstimator):
    """Scores every entrepreneur-expert pair from five criteria (see ``CRITERIA``).

    ``weights`` maps criterion codes to weights (None: ``DEFAULT_WEIGHTS``; a missing code
    keeps its default). The text criterion is the cosine of character n-gram TF-IDF
    vectors of the entrepreneur's needs and products against the expert's introduction
    and tags: Chinese has no spaces, so a word tokenizer would see each sentence as one
    word, while character bigrams and trigrams (微店, 微店运) carry the meaning.

    ``text_reason_threshold`` is the smallest weighted contribution of a single n-gram to
    the text criterion for the pair's text reason to quote it (see ``explain``). On the
    sample sheets (mentors/samples), a telling shared word such as 包装 in 需要包装设计
    and the tag 包装设计, or 禽畜, 融资, 短视, mostly contributes 0.008 to 0.1, and a
    common one such as 产品, 帮助 or 指导 in two long texts mostly 0.003 to 0.008; the
    two overlap a little, hence a parameter.
    """

    def __init__(
        self,
        weights=None,
        ngram_range=(2, 3),
        analyzer="char_wb",
        sublinear_tf=True,
        text_reason_threshold=0.008,
    ):
        self.weights = weights
        self.ngram_range = ngram_range
        self.analyzer = analyzer
        self.sublinear_tf = sublinear_tf
        self.text_reason_threshold = text_reason_threshold

    def fit(self, entrepreneurs, experts, y=None):
        """Learn the text vocabulary and the value lists (counties, products, ...)."""
        entrepreneurs, experts = list(entrepreneurs), list(experts)
        if not entrepreneurs and not experts:
            raise ValueError("PairScorer needs at least one entrepreneur or expert to fit")
        weights = dict(DEFAULT_WEIGHTS)
        unknown = set(self.weights or {}) - set(CRITERIA)
        if unknown:
            raise ValueError(f"unknown criteria in weights: {sorted(unknown)}")
        weights.update(self.weights or {})
        self.weights_ = weights
        self.text_vectorizer_ = TfidfVectorizer(
            analyzer=self.analyzer, ngram_range=self.ngram_range, sublinear_tf=self.sublinear_tf
        ).fit([_entrepreneur_text(e) for e in entrepreneurs] + [_expert_text(x) for x in experts])
        self.counties_ = self._vocabulary(
            COUNTIES, [e.county for e in entrepreneurs], [c for x in experts for c in x.counties]
        )
        self.products_ = self._vocabulary((), [p for e in entrepreneurs for p in e.products])
        self.channels_ = self._vocabulary(CHANNELS, [c for e in entrepreneurs for c in e.channels])
        self.expert_types_ = self._vocabulary(EXPERT_TYPES, [x.expert_type for x in experts])
        return self

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # Fitted on people (entrepreneurs and experts: texts and categories), not on a
        # numeric matrix; no target.
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        tags.input_tags.categorical = True
        tags.target_tags.required = False
        return tags

    @staticmethod
    def _vocabulary(known, *seen) -> dict:
        values = list(dict.fromkeys(list(known) + [v for group in seen for v in group]))
        return {value: index for index, value in enumerate(values)}

    # Criterion vectors, unweighted, in the order of CRITERIA ------------------------------

    def _entrepreneur_blocks(self, entrepreneurs) -> list[sp.csr_matrix]:
        stage_rows = [
            [STAGE_TYPE_FIT.get(e.stage, {}).get(t, 0.0) for t in self.expert_types_]
            for e in entrepreneurs
        ]
        return [
            self.text_vectorizer_.transform([_entrepreneur_text(e) for e in entrepreneurs]),
            _one_hot_rows([(e.county,) for e in entrepreneurs], self.counties_, False),
            _one_hot_rows([e.products for e in entrepreneurs], self.products_, True),
            _one_hot_rows([e.channels for e in entrepreneurs], self.channels_, True),
            sp.csr_matrix(np.array(stage_rows, dtype=np.float64).reshape(-1, len(stage_rows[0])))
            if stage_rows
            else sp.csr_matrix((0, len(self.expert_types_))),
        ]

    def _expert_blocks(self, experts) -> list[sp.csr_matrix]:
        products = np.array(
            [[_product_fit(x, p)[0] for p in self.products_] for x in experts], dtype=np.float64
        ).reshape(len(experts), len(self.products_))
        channels = np.array(
            [[_channel_fit(x, c)[0] for c in self.channels_] for x in experts], dtype=np.float64
        ).reshape(len(experts), len(self.channels_))
        return [
            self.text_vectorizer_.transform([_expert_text(x) for x in experts]),
            _one_hot_rows([x.counties for x in experts], self.counties_, False),
            sp.csr_matrix(products),
            sp.csr_matrix(channels),
            _one_hot_rows([(x.expert_type,) for x in experts], self.expert_types_, False),
        ]

    def transform_entrepreneurs(self, entrepreneurs) -> sp.csr_matrix:
        """Entrepreneur vectors with the weights folded in: rows of the left factor."""
        check_is_fitted(self)
        blocks = self._entrepreneur_blocks(list(entrepreneurs))
        return sp.hstack(
            [self.weights_[c] * b for c, b in zip(CRITERIA, blocks, strict=True)], format="csr"
        )

    def transform_experts(self, experts) -> sp.csr_matrix:
        """Expert vectors: rows of the right factor."""
        check_is_fitted(self)
        return sp.hstack(self._expert_blocks(list(experts)), format="csr")

    def score_matrix(self, entrepreneurs, experts) -> np.ndarray:
        """All pair scores as a dense entrepreneurs × experts array (for moderate sizes)."""
        check_is_fitted(self)
        product = self.transform_entrepreneurs(entrepreneurs) @ self.transform_experts(experts).T
        return product.toarray()

    def _pair_products(self, entrepreneurs, experts, pairs, vectors=None) -> list[sp.csr_matrix]:
        """Per criterion, the element-wise products of the pairs' two vectors (one row each).

        A row sums to the criterion's value; its entries say which terms (n-grams,
        counties, ...) made it, which is what the reasons quote.
        """
        if vectors is None:
            vectors = self.criterion_vectors(entrepreneurs, experts)
        left, right = vectors.entrepreneurs, vectors.experts
        return [
            sp.csr_matrix(u[pairs[:, 0]].multiply(v[pairs[:, 1]]))
            for u, v in zip(left, right, strict=True)
        ]

    def criterion_values(self, entrepreneurs, experts, pairs) -> np.ndarray:
        """Unweighted criterion values of the given pairs, one column per CRITERIA code.

        ``pairs`` holds (entrepreneur index, expert index) rows. Multiplying by the weights
        gives each criterion's contribution; the rows are what ``WeightLearner`` learns from.
        """
        check_is_fitted(self)
        pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
        if not pairs.size:
            return np.zeros((0, len(CRITERIA)))
        products = self._pair_products(entrepreneurs, experts, pairs)
        return _row_sums(products)

    def criterion_contributions(self, entrepreneurs, experts, pairs) -> np.ndarray:
        """Each criterion's weighted share of the given pairs' scores; rows sum to the score."""
        check_is_fitted(self)
        weights = np.array([self.weights_[c] for c in CRITERIA])
        return self.criterion_values(entrepreneurs, experts, pairs) * weights

    def explain(self, entrepreneur: EntrepreneurProfile, expert: ExpertProfile) -> list[Reason]:
        """The criteria behind one pair's score, largest contribution first.

        Only criteria that add to the score are listed, each naming what drove it. Codes
        and their ``text_args``:

        - ``text``: ``term`` (the character n-gram whose TF-IDF product is the largest
          share of the pair's text similarity), ``need`` (the entrepreneur's need clause,
          or product, containing it), ``need_source`` ("needs" or "product"),
          ``expertise`` (the expert's tag or introduction clause containing it),
          ``source`` ("tag" or "introduction"); e.g. 需求「想开微店」↔ 擅长「微店运营」.
          Left out when that largest share, weighted, is below ``text_reason_threshold``
          (or no n-gram of two characters is shared): the similarity is then a sum of
          stray characters that no phrase explains.
        - ``county``: ``county`` (the entrepreneur's county, which the expert serves),
          ``relation`` ("same" when the expert is based there, "serves" when based
          elsewhere or unknown); e.g. 同在罗定市, 服务罗定市.
        - ``product``: ``product`` (the entrepreneur's product that counted most), ``tag``
          (the expert's tag that serves it, or None when the expert names the product);
          e.g. 熟悉沙糖桔.
        - ``channel``: ``channel`` (the entrepreneur's sales channel the expert covers),
          ``tag`` (the expert's tag that serves it, or None when the introduction names
          the channel); e.g. 抖音 ↔ 擅长「直播带货」.
        - ``stage``: ``stage``, ``expert_type``; e.g. 想法阶段适合创业指导专家.
        """
        return self.explain_pairs([entrepreneur], [expert], [[0, 0]])[1][0]

    def criterion_vectors(self, entrepreneurs, experts) -> "CriterionVectors":
        """Both sides' criterion vectors, computed once for a run: its factors
        (``factors``), its pairs' values and its reasons (``explain_pairs``) are all read
        off them, so the profiles are not vectorised again for the reasons."""
        check_is_fitted(self)
        return CriterionVectors(
            self._entrepreneur_blocks(list(entrepreneurs)), self._expert_blocks(list(experts))
        )

    def factors(self, vectors: "CriterionVectors") -> tuple[sp.csr_matrix, sp.csr_matrix]:
        """``transform_entrepreneurs`` and ``transform_experts`` from computed vectors."""
        left = sp.hstack(
            [self.weights_[c] * b for c, b in zip(CRITERIA, vectors.entrepreneurs, strict=True)],
            format="csr",
        )
        return left, sp.hstack(vectors.experts, format="csr")

    def explain_pairs(self, entrepreneurs, experts, pairs, vectors=None) -> tuple[np.ndarray, list]:
        """Criterion values and reasons (as ``explain``) of many pairs in one batch.

        Returns the ``criterion_values`` array and one reason list per pair. The profiles
        are turned into vectors once (or not at all, given the run's ``vectors`` from
        ``criterion_vectors``); every criterion's contribution and each text reason's
        telling n-gram are found for all pairs at once from the pairs' rows of the
        element-wise products, and only the phrases quoted are looked up pair by pair.
        """
        check_is_fitted(self)
        entrepreneurs, experts = list(entrepreneurs), list(experts)
        pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
        if not pairs.size:
            return np.zeros((0, len(CRITERIA))), []
        products = self._pair_products(entrepreneurs, experts, pairs, vectors)
        values = _row_sums(products)
        weights = np.array([self.weights_[c] for c in CRITERIA])
        contributions = values * weights
        phrases = _PhraseTerms(self.text_vectorizer_)
        top_term, top_share = _top_terms(products[0], phrases.quotable())
        quoted = (top_term >= 0) & (self.weights_["text"] * top_share >= self.text_reason_threshold)
        fits = {"product": {}, "channel": {}}
        explained = []
        for row, (i, j) in enumerate(pairs.tolist()):
            entrepreneur, expert = entrepreneurs[i], experts[j]
            reasons = []
            for code, contribution in zip(CRITERIA, contributions[row].tolist(), strict=True):
                if contribution <= 0:
                    continue
                if code == "text":
                    if not quoted[row]:
                        continue
                    args = self._text_args(
                        entrepreneur, expert, int(top_term[row]), _row(products[0], row), phrases
                    )
                elif code == "county":
                    args = self._county_args(entrepreneur, expert)
                elif code == "stage":
                    args = self._stage_args(entrepreneur, expert)
                else:
                    args = self._fit_args(code, entrepreneur, expert, j, fits[code])
                if args is not None:
                    reasons.append(Reason(code, contribution, args))
            explained.append(sorted(reasons, key=lambda reason: -reason.contribution))
        return values, explained

    def _text_args(self, entrepreneur, expert, top: int, share: dict, phrases) -> dict | None:
        """The phrases on both sides holding n-gram ``top``, the one that adds most to the
        similarity (``_top_terms``).

        ``share`` maps each shared n-gram's column to its product in the pair's text
        similarity.
        """
        need = phrases.best(
            top,
            share,
            [(c, "needs") for c in split_clauses(entrepreneur.needs)]
            + [(p, "product") for p in entrepreneur.products],
        )
        # A tag reads better than a quoted sentence ("擅长「微店运营」"), so a tag holding
        # the term is quoted unless an introduction clause explains twice as much.
        tag = phrases.best(top, share, [(t, "tag") for t in expert.tags])
        clause = phrases.best(
            top, share, [(c, "introduction") for c in split_clauses(expert.introduction)]
        )
        if tag and (not clause or 2 * tag[2] >= clause[2]):
            expertise = tag
        else:
            expertise = clause
        if need is None or expertise is None:
            return None  # the term came from text outside the clauses (cannot happen)
        return {
            "need": need[0],
            "need_source": need[1],
            "expertise": expertise[0],
            "source": expertise[1],
            "term": phrases.term(top).strip(),
        }

    def _fit_args(self, code, entrepreneur, expert, column: int, known: dict) -> dict:
        """The product or channel reason; an expert's fit to each value is found once per
        batch (``known``), since many pairs share an expert."""
        fit, values = (
            (_product_fit, entrepreneur.products)
            if code == "product"
            else (_channel_fit, entrepreneur.channels)
        )
        found = []
        for value in values:
            key = (column, value)
            if key not in known:
                known[key] = fit(expert, value)
            found.append((known[key], value))
        (_, tag), value = max(found, key=lambda item: item[0][0])
        return {code: value, "tag": tag}

    def _county_args(self, entrepreneur, expert) -> dict:
        relation = "same" if expert.base_county == entrepreneur.county else "serves"
        return {"county": entrepreneur.county, "relation": relation}

    def _stage_args(self, entrepreneur, expert) -> dict:
        return {"stage": entrepreneur.stage, "expert_type": expert.expert_type}


@dataclass(frozen=True)
class CriterionVectors:
    """Unweighted criterion vectors of entrepreneurs and experts, one sparse block per
    criterion in the order of ``CRITERIA`` (``PairScorer.criterion_vectors``)."""

    entrepreneurs: list
    experts: list


def _top_terms(text: sp.csr_matrix, quotable: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row of the pairs' text products, the quotable n-gram with the largest product
    (the first such in the row's order on a tie) and that product; -1 and 0 for a row
    without one."""
    n_rows = text.shape[0]
    top, share = np.full(n_rows, -1, dtype=np.int64), np.zeros(n_rows)
    lengths = np.diff(text.indptr)
    entry_rows = np.repeat(np.arange(n_rows), lengths)
    keep = quotable[text.indices]
    if not keep.any():
        return top, share
    data, columns, entry_rows = text.data[keep], text.indices[keep], entry_rows[keep]
    row_max = np.full(n_rows, -np.inf)
    np.maximum.at(row_max, entry_rows, data)
    at_max = np.flatnonzero(data == row_max[entry_rows])
    rows, first = np.unique(entry_rows[at_max], return_index=True)
    top[rows] = columns[at_max[first]]
    share[rows] = data[at_max[first]]
    return top, share


def _row(matrix: sp.csr_matrix, row: int) -> dict:
    """A CSR row's non-zero entries as {column: value}, without building a matrix."""
    start, end = matrix.indptr[row], matrix.indptr[row + 1]
    columns, values = matrix.indices[start:end], matrix.data[start:end]
    return dict(zip(columns.tolist(), values.tolist(), strict=True))


def _row_sums(products) -> np.ndarray:
    return np.column_stack([np.asarray(p.sum(axis=1)).ravel() for p in products])


class _PhraseTerms:
    """The TF-IDF vocabulary's n-grams in each phrase, computed once per batch."""

    def __init__(self, vectorizer):
        self._analyse = vectorizer.build_analyzer()
        self._vocabulary = vectorizer.vocabulary_
        self._terms = None
        self._vectorizer = vectorizer
        self._cache = {}

    def of(self, phrase: str) -> frozenset:
        if phrase not in self._cache:
            self._cache[phrase] = frozenset(
                self._vocabulary[g] for g in self._analyse(phrase) if g in self._vocabulary
            )
        return self._cache[phrase]

    def quotable(self) -> np.ndarray:
        """Per vocabulary column, whether the n-gram can be quoted: one character beside
        a word boundary (" 店", "业 ") names nothing worth quoting."""
        if self._terms is None:
            self._terms = self._vectorizer.get_feature_names_out()
        return np.array([len(str(t).strip()) >= 2 for t in self._terms], dtype=bool)

    def term(self, index: int) -> str:
        if self._terms is None:
            self._terms = self._vectorizer.get_feature_names_out()
        return str(self._terms[index])

    def best(self, top: int, share: dict, phrases) -> tuple[str, str, float] | None:
        """Among the phrases holding term ``top``, the one whose terms add most."""
        holding = [
            (phrase, kind, sum(share.get(t, 0.0) for t in self.of(phrase)))
            for phrase, kind in phrases
            if top in self.of(phrase)
        ]
        return max(holding, key=lambda h: h[2]) if holding else None


class WeightLearner(BaseEstimator):
    """Criterion weights learned from staff decisions, used only when they do better.

    ``fit(X, y)`` takes one row of ``PairScorer.criterion_values`` per decided proposal
    and 1 (approved, or well rated) or 0 (rejected, or badly rated). A
    logistic regression is fitted on a training split; the held-out split then ranks the
    decisions by the learned and by the default weights, and the learned ones are used
    only when their ROC AUC beats the defaults' by ``min_gain``. Fewer than
    ``min_decisions`` decisions, or only one outcome in either split, keep the defaults.

    Weights must stay non-negative: a negative weight would make, say, sharing a county
    count against a pair, which no coordinator means and which the pruned assignment's
    candidate search does not expect. Criteria whose coefficient comes out negative are
    dropped and the regression refitted on the rest until all are non-negative. Learned
    weights are rescaled to the defaults' total, so scores stay on the same scale (the
    assignment is unchanged by a common factor).
    """

    def __init__(
        self,
        default_weights=None,
        min_decisions=30,
        test_size=0.3,
        min_gain=0.02,
        C=1.0,
        random_state=0,
    ):
        self.default_weights = default_weights
        self.min_decisions = min_decisions
        self.test_size = test_size
        self.min_gain = min_gain
        self.C = C
        self.random_state = random_state

    def fit(self, X, y):
        """``X``: one row of criterion values per decided proposal, its columns named by a
        DataFrame's columns, else matching's ``CRITERIA`` when there are as many, else
        ``x0``, ``x1``…; ``y``: the outcomes, two values, the greater meaning approved."""
        values, outcomes = validate_data(self, X, y, dtype=np.float64)
        found = np.unique(outcomes)
        if found.size > 2:
            raise ValueError("outcomes take two values: 1 (approved) and 0 (rejected)")
        outcomes = (outcomes == found[-1]).astype(int)
        self.criteria_ = self._criteria()
        # A criterion without a default weight (not one of matching's) starts at 1.
        defaults = {c: DEFAULT_WEIGHTS.get(c, 1.0) for c in self.criteria_}
        defaults.update((c, w) for c, w in (self.default_weights or {}).items() if c in defaults)
        default_vector = np.array([defaults[c] for c in self.criteria_])
        self.default_weights_ = defaults
        self.n_decisions_ = int(outcomes.size)
        self.learned_weights_ = None
        self.held_out_learned_ = None
        self.held_out_default_ = None
        self.uses_learned_ = False
        self.weights_ = defaults
        if outcomes.size < self.min_decisions or np.unique(outcomes).size < 2:
            return self
        try:
            train_x, test_x, train_y, test_y = train_test_split(
                values,
                outcomes,
                test_size=self.test_size,
                stratify=outcomes,
                random_state=self.random_state,
            )
        except ValueError:
            return self  # too few of one outcome to put some on each side
        if np.unique(train_y).size < 2 or np.unique(test_y).size < 2:
            return self
        coefficients = self._non_negative_coefficients(train_x, train_y)
        if coefficients.sum() <= 0:
            return self
        learned_vector = coefficients * (default_vector.sum() / coefficients.sum())
        self.learned_weights_ = dict(zip(self.criteria_, learned_vector.tolist(), strict=True))
        self.held_out_learned_ = float(roc_auc_score(test_y, test_x @ learned_vector))
        self.held_out_default_ = float(roc_auc_score(test_y, test_x @ default_vector))
        self.uses_learned_ = self.held_out_learned_ >= self.held_out_default_ + self.min_gain
        self.weights_ = self.learned_weights_ if self.uses_learned_ else defaults
        return self

    def _criteria(self) -> tuple[str, ...]:
        names = getattr(self, "feature_names_in_", None)
        if names is not None:
            return tuple(str(name) for name in names)
        if self.n_features_in_ == len(CRITERIA):
            return tuple(CRITERIA)
        return tuple(f"x{i}" for i in range(self.n_features_in_))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # Learns from approved / rejected: a binary target, always given.
        tags.target_tags.required = True
        tags.classifier_tags = ClassifierTags(multi_class=False)
        return tags

    def _non_negative_coefficients(self, values, outcomes) -> np.ndarray:
        active = np.ones(values.shape[1], dtype=bool)
        coefficients = np.zeros(values.shape[1])
        while active.any():
            model = LogisticRegression(C=self.C, max_iter=1000)
            model.fit(values[:, active], outcomes)
            fitted = model.coef_.ravel()
            if (fitted >= 0).all():
                coefficients[active] = fitted
                break
            active[np.flatnonzero(active)[np.argmin(fitted)]] = False
        return coefficients
