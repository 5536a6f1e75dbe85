"""Pair scores, their reasons, and when learned weights replace the defaults."""

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.utils import estimator_checks, get_tags
from sklearn.utils.estimator_checks import parametrize_with_checks

from matching.scoring import (
    CRITERIA,
    DEFAULT_WEIGHTS,
    EntrepreneurProfile,
    ExpertProfile,
    PairScorer,
    Reason,
    WeightLearner,
    split_clauses,
)
from matching.synthetic import make_market


def entrepreneur(**changes):
    values = {
        "key": 1,
        "county": "罗定市",
        "products": ("沙糖桔",),
        "needs": "想开微店卖自家的沙糖桔，不会拍照和写商品描述",
        "channels": ("微信小店/微店",),
        "stage": "想法阶段",
        "background": "返乡大学生",
    }
    return EntrepreneurProfile(**{**values, **changes})


def expert(**changes):
    values = {
        "key": 1,
        "expert_type": "农村电商专家",
        "tags": ("微店运营",),
        "introduction": "职业院校电商老师，教过上百名学员开微店。",
        "counties": ("罗定市",),
        "organisation_kind": "职业院校",
        "capacity": 5,
    }
    return ExpertProfile(**{**values, **changes})


def test_chinese_character_ngrams_match_a_need_to_a_tag():
    weidian = expert(key=1)
    cold_chain = expert(key=2, tags=("冷链物流",), introduction="企业物流经理，负责生鲜冷链发货。")
    scorer = PairScorer(weights={c: (1.0 if c == "text" else 0.0) for c in CRITERIA})
    scores = scorer.fit([entrepreneur()], [weidian, cold_chain]).score_matrix(
        [entrepreneur()], [weidian, cold_chain]
    )
    assert scores[0, 0] > 0
    assert scores[0, 1] < scores[0, 0] / 3


def test_a_word_tokenizer_would_see_nothing_in_common():
    """Why char n-grams: with words, the whole Chinese clause is one token."""
    scorer = PairScorer(analyzer="word", ngram_range=(1, 1))
    only_text = {c: (1.0 if c == "text" else 0.0) for c in CRITERIA}
    scorer.set_params(weights=only_text)
    scores = scorer.fit([entrepreneur()], [expert()]).score_matrix([entrepreneur()], [expert()])
    assert scores[0, 0] == 0


def test_shared_county_counts_and_is_explained():
    here, elsewhere = expert(key=1), expert(key=2, counties=("郁南县", "新兴县"))
    scorer = PairScorer().fit([entrepreneur()], [here, elsewhere])
    values = scorer.criterion_values([entrepreneur()], [here, elsewhere], [[0, 0], [0, 1]])
    county = CRITERIA.index("county")
    assert values[:, county].tolist() == [1.0, 0.0]
    reasons = {r.criterion: r for r in scorer.explain(entrepreneur(), here)}
    assert reasons["county"].text_args == {"county": "罗定市", "relation": "serves"}
    assert reasons["county"].contribution == pytest.approx(DEFAULT_WEIGHTS["county"])
    assert "county" not in {r.criterion for r in scorer.explain(entrepreneur(), elsewhere)}


def test_idea_stage_needs_a_start_up_mentor_more_than_a_cold_chain_specialist():
    mentor = expert(key=1, expert_type="创业指导专家", tags=("冷链物流",))
    logistics = expert(key=2, expert_type="电商企业家", tags=("冷链物流",))
    people = [entrepreneur(stage="想法阶段"), entrepreneur(key=2, stage="稳定经营")]
    scorer = PairScorer(weights={c: (1.0 if c == "stage" else 0.0) for c in CRITERIA})
    scores = scorer.fit(people, [mentor, logistics]).score_matrix(people, [mentor, logistics])
    assert scores[0, 0] > scores[0, 1]
    assert scores[1, 1] > scores[1, 0]
    reason = scorer.explain(people[0], mentor)[0]
    assert reason == Reason("stage", 1.0, {"stage": "想法阶段", "expert_type": "创业指导专家"})


def test_channel_and_product_fit_with_their_reasons():
    person = entrepreneur(channels=("抖音",), products=("沙糖桔", "南药"))
    live = expert(key=1, tags=("直播带货",), introduction="熟悉郁南沙糖桔的销售。")
    cold = expert(key=2, tags=("冷链物流",), introduction="物流企业负责人。")
    scorer = PairScorer().fit([person], [live, cold])
    values = scorer.criterion_values([person], [live, cold], [[0, 0], [0, 1]])
    channel, product = CRITERIA.index("channel"), CRITERIA.index("product")
    assert values[:, channel].tolist() == [1.0, 0.0]
    # Named in the introduction: full; served by a tag (fresh fruit travels cold): half.
    assert values[:, product].tolist() == pytest.approx([0.5, 0.25])
    reasons = {r.criterion: r.text_args for r in scorer.explain(person, live)}
    assert reasons["channel"] == {"channel": "抖音", "tag": "直播带货"}
    assert reasons["product"] == {"product": "沙糖桔", "tag": None}
    reasons = {r.criterion: r.text_args for r in scorer.explain(person, cold)}
    assert reasons["product"] == {"product": "沙糖桔", "tag": "冷链物流"}


def test_text_reason_quotes_the_matching_need_clause_and_tag():
    person = entrepreneur(needs="家里种了沙糖桔。想开微店，不会拍照")
    teacher = expert(introduction="职业院校电商老师，带过上百名学员。")
    scorer = PairScorer().fit([person], [teacher])
    reasons = {r.criterion: r.text_args for r in scorer.explain(person, teacher)}
    assert reasons["text"] == {
        "need": "想开微店",
        "need_source": "needs",
        "expertise": "微店运营",
        "source": "tag",
        "term": reasons["text"]["term"],
    }
    assert reasons["text"]["term"] in "想开微店" and reasons["text"]["term"] in "微店运营"


def test_text_reason_quotes_the_introduction_when_no_tag_matches():
    teacher = expert(tags=("财务与融资",))
    scorer = PairScorer().fit([entrepreneur()], [teacher])
    reasons = {r.criterion: r.text_args for r in scorer.explain(entrepreneur(), teacher)}
    assert reasons["text"]["source"] == "introduction"
    assert reasons["text"]["expertise"] == "教过上百名学员开微店"
    assert reasons["text"]["need"] == "想开微店卖自家的沙糖桔"


def test_explanation_adds_up_to_the_score_largest_first():
    entrepreneurs, experts, _ = make_market(30, 8, random_state=1)
    scorer = PairScorer().fit(entrepreneurs, experts)
    scores = scorer.score_matrix(entrepreneurs, experts)
    for i, j in [(0, 0), (3, 5), (17, 2)]:
        reasons = scorer.explain(entrepreneurs[i], experts[j])
        pair = scorer.criterion_contributions(entrepreneurs, experts, [[i, j]])[0]
        shares = dict(zip(CRITERIA, pair, strict=True))
        # A text similarity no phrase explains adds to the score without a reason.
        unexplained = 0 if "text" in {r.criterion for r in reasons} else shares["text"]
        assert sum(r.contribution for r in reasons) + unexplained == pytest.approx(scores[i, j])
        contributions = [r.contribution for r in reasons]
        assert contributions == sorted(contributions, reverse=True)
        assert all(r.criterion in CRITERIA and r.contribution > 0 for r in reasons)


def test_score_is_an_inner_product_of_the_two_factors():
    entrepreneurs, experts, _ = make_market(60, 12, random_state=2)
    weights = {"text": 2.0, "county": 0.1, "product": 0.7, "channel": 0.0, "stage": 1.5}
    scorer = PairScorer(weights=weights).fit(entrepreneurs, experts)
    left = scorer.transform_entrepreneurs(entrepreneurs)
    right = scorer.transform_experts(experts)
    product = (left @ right.T).toarray()
    pairs = np.array([(i, j) for i in range(60) for j in range(12)])
    values = scorer.criterion_values(entrepreneurs, experts, pairs)
    by_criteria = (values @ np.array([weights[c] for c in CRITERIA])).reshape(60, 12)
    np.testing.assert_allclose(product, by_criteria, atol=1e-12)
    np.testing.assert_allclose(scorer.score_matrix(entrepreneurs, experts), product)
    contributions = scorer.criterion_contributions(entrepreneurs, experts, pairs)
    np.testing.assert_allclose(contributions.sum(axis=1), product.ravel(), atol=1e-12)
    assert np.all(values >= 0) and np.all(values <= 1 + 1e-12)


def test_unknown_values_score_nothing_instead_of_failing():
    scorer = PairScorer().fit([entrepreneur()], [expert()])
    stranger = entrepreneur(county="广州市", products=("榴莲",), channels=("快手",), stage="?")
    values = scorer.criterion_values([stranger], [expert()], [[0, 0]])[0]
    for code in ("county", "product", "channel", "stage"):
        assert values[CRITERIA.index(code)] == 0


def test_split_clauses_on_chinese_and_ascii_punctuation():
    clauses = split_clauses("想开微店，不会拍照。缺钱; 没时间!")
    assert clauses == ["想开微店", "不会拍照", "缺钱", "没时间"]


# The scikit-learn estimator contract ----------------------------------------------------


@pytest.mark.parametrize("estimator", [PairScorer(), WeightLearner()])
def test_init_stores_parameters_only_and_clone_round_trips(estimator):
    params = estimator.get_params()
    assert params == clone(estimator).get_params()
    assert not [name for name in vars(estimator) if name.endswith("_")]
    changed = {name: None for name in params}
    assert clone(estimator).set_params(**changed).get_params() == changed


# PairScorer is fitted on people, not on a numeric matrix: it declares so in its tags,
# and scikit-learn runs only the checks about parameters and cloning on it.
@parametrize_with_checks([WeightLearner(), PairScorer()])
def test_scikit_learn_estimator_checks(estimator, check):
    check(estimator)


# The checks about parameters, which apply to any estimator, run on PairScorer by name.
PARAMETER_CHECKS = (
    "check_no_attributes_set_in_init",
    "check_parameters_default_constructible",
    "check_get_params_invariance",
    "check_set_params",
    "check_do_not_raise_errors_in_init_or_set_params",
    "check_estimator_repr",
    "check_estimator_cloneable",
)


@pytest.mark.parametrize("check", PARAMETER_CHECKS)
def test_pair_scorer_passes_the_parameter_checks(check):
    getattr(estimator_checks, check)("PairScorer", PairScorer())


def test_pair_scorer_declares_it_takes_people_not_a_matrix():
    tags = get_tags(PairScorer())
    assert not tags.input_tags.two_d_array and tags.input_tags.string
    assert not tags.target_tags.required


@pytest.mark.parametrize(
    "values",
    [[[0.1, np.nan, 0, 1, 0]] * 40, [[0.1, np.inf, 0, 1, 0]] * 40, np.empty((0, 5))],
    ids=["nan", "inf", "empty"],
)
def test_weight_learner_refuses_what_is_no_decision(values):
    with pytest.raises(ValueError):
        WeightLearner().fit(values, [0, 1] * (len(values) // 2))


def test_weight_learner_refuses_more_than_two_outcomes():
    values = decisions(60, seed=4)
    with pytest.raises(ValueError, match="two values"):
        WeightLearner().fit(values, np.arange(60) % 3)


def test_weight_learner_names_its_criteria_by_the_columns_it_was_given():
    pandas = pytest.importorskip("pandas")
    values = decisions(60, seed=5)
    outcomes = labels_from(values, DEFAULT_WEIGHTS, seed=5)
    learner = WeightLearner().fit(values, outcomes)
    assert learner.n_features_in_ == len(CRITERIA) and learner.criteria_ == tuple(CRITERIA)
    framed = WeightLearner().fit(pandas.DataFrame(values, columns=list(CRITERIA)), outcomes)
    assert framed.weights_ == learner.weights_
    two = WeightLearner(min_decisions=10).fit(np.asarray(values)[:, :2], outcomes)
    assert two.criteria_ == ("x0", "x1") and set(two.weights_) == {"x0", "x1"}


def test_weight_learner_fit_returns_self_and_leaves_params_alone():
    defaults = {"county": 1.0}
    learner = WeightLearner(default_weights=defaults, min_decisions=10)
    values = decisions(60, seed=9)
    assert learner.fit(values, labels_from(values, DEFAULT_WEIGHTS, seed=9)) is learner
    assert learner.default_weights is defaults and defaults == {"county": 1.0}
    assert learner.default_weights_["county"] == 1.0


def test_pair_scorer_refuses_to_score_before_fit():
    scorer = PairScorer()
    for call in (
        lambda: scorer.transform_entrepreneurs([entrepreneur()]),
        lambda: scorer.transform_experts([expert()]),
        lambda: scorer.score_matrix([entrepreneur()], [expert()]),
        lambda: scorer.criterion_values([entrepreneur()], [expert()], [[0, 0]]),
        lambda: scorer.criterion_contributions([entrepreneur()], [expert()], [[0, 0]]),
        lambda: scorer.explain(entrepreneur(), expert()),
    ):
        with pytest.raises(NotFittedError):
            call()


def test_pair_scorer_fit_returns_self_and_leaves_params_alone():
    weights = {"county": 2.0}
    scorer = PairScorer(weights=weights, ngram_range=(1, 2))
    assert scorer.fit([entrepreneur()], [expert()]) is scorer
    assert scorer.weights == {"county": 2.0} and scorer.weights is weights
    assert scorer.weights_["county"] == 2.0
    assert scorer.weights_["text"] == DEFAULT_WEIGHTS["text"]
    refitted = clone(scorer).fit([entrepreneur()], [expert()])
    np.testing.assert_allclose(
        refitted.score_matrix([entrepreneur()], [expert()]),
        scorer.score_matrix([entrepreneur()], [expert()]),
    )


def test_pair_scorer_rejects_unknown_criteria():
    with pytest.raises(ValueError, match="unknown criteria"):
        PairScorer(weights={"age": 1.0}).fit([entrepreneur()], [expert()])


# Learned weights ------------------------------------------------------------------------


def decisions(n, seed):
    """Criterion values of decided proposals, spread like real ones."""
    rng = np.random.default_rng(seed)
    return np.column_stack(
        [
            rng.beta(2, 8, n),  # text similarity is small
            rng.integers(0, 2, n),  # county is 0 or 1
            rng.choice([0, 0.25, 0.5, 1], n),
            rng.choice([0, 0.5, 1], n),
            rng.choice([0.3, 0.5, 0.7, 1.0], n),
        ]
    )


def labels_from(values, weights, seed, noise=0.05):
    rng = np.random.default_rng(seed)
    scores = values @ np.array([weights[c] for c in CRITERIA])
    scores = scores + noise * rng.standard_normal(scores.size)
    return (scores > np.median(scores)).astype(int)


def test_learned_weights_are_not_used_when_defaults_explain_the_decisions():
    values = decisions(400, seed=0)
    learner = WeightLearner().fit(values, labels_from(values, DEFAULT_WEIGHTS, seed=1))
    assert learner.learned_weights_ is not None
    assert not learner.uses_learned_
    assert learner.weights_ == DEFAULT_WEIGHTS
    assert learner.held_out_default_ >= learner.held_out_learned_ - learner.min_gain


def test_learned_weights_are_used_when_staff_weigh_differently():
    """Staff here care about products and channels and ignore the county."""
    staff = {"text": 0.0, "county": 0.0, "product": 2.0, "channel": 1.5, "stage": 0.2}
    values = decisions(400, seed=2)
    learner = WeightLearner().fit(values, labels_from(values, staff, seed=3))
    assert learner.uses_learned_
    assert learner.held_out_learned_ > learner.held_out_default_ + learner.min_gain
    assert learner.weights_ == learner.learned_weights_
    weights = learner.weights_
    assert all(w >= 0 for w in weights.values())
    assert weights["product"] > weights["county"]
    assert sum(weights.values()) == pytest.approx(sum(DEFAULT_WEIGHTS.values()))


def test_random_decisions_rarely_replace_the_defaults():
    """Noise can beat the defaults on a small held-out split by chance; the margin keeps
    that rare."""
    used = 0
    for seed in range(20):
        values = decisions(200, seed=100 + seed)
        outcomes = np.random.default_rng(seed).integers(0, 2, 200)
        used += WeightLearner(random_state=seed).fit(values, outcomes).uses_learned_
    assert used <= 6


@pytest.mark.parametrize(
    "outcomes", [np.array([1, 0] * 10), np.ones(100, dtype=int)], ids=["too few", "one class"]
)
def test_too_few_or_one_sided_decisions_keep_the_defaults(outcomes):
    learner = WeightLearner(min_decisions=30).fit(decisions(outcomes.size, 4), outcomes)
    assert not learner.uses_learned_
    assert learner.weights_ == DEFAULT_WEIGHTS
    assert learner.learned_weights_ is None and learner.held_out_learned_ is None


def test_learner_rejects_mismatched_lengths():
    with pytest.raises(ValueError):
        WeightLearner().fit(decisions(40, 5), np.ones(39))


def test_batch_reasons_from_the_run_vectors_match_pair_by_pair():
    """The batch reads every reason off vectors computed once; each pair's reasons are
    what ``explain`` says for that pair alone, and the factors are the transforms'."""
    entrepreneurs, experts, _ = make_market(80, 15, random_state=6)
    scorer = PairScorer().fit(entrepreneurs, experts)
    vectors = scorer.criterion_vectors(entrepreneurs, experts)
    left, right = scorer.factors(vectors)
    assert (left != scorer.transform_entrepreneurs(entrepreneurs)).nnz == 0
    assert (right != scorer.transform_experts(experts)).nnz == 0
    pairs = np.array([(i, j) for i in range(80) for j in (i % 15, (7 * i) % 15)])
    values, batch = scorer.explain_pairs(entrepreneurs, experts, pairs, vectors)
    np.testing.assert_array_equal(values, scorer.criterion_values(entrepreneurs, experts, pairs))
    texts = 0
    for (i, j), reasons in zip(pairs, batch, strict=True):
        assert reasons == scorer.explain(entrepreneurs[i], experts[j])
        texts += any(r.criterion == "text" for r in reasons)
    assert texts > 0  # the text reasons, the ones read off the n-gram products, are tested


def test_synthetic_experts_are_based_in_a_county_they_serve():
    entrepreneurs, experts, _ = make_market(400, 40, random_state=3)
    assert all(x.base_county in x.counties for x in experts)
    scorer = PairScorer().fit(entrepreneurs, experts)
    pairs = np.array([(i, i % 40) for i in range(400)])
    relations = {
        r.text_args["relation"]
        for reasons in scorer.explain_pairs(entrepreneurs, experts, pairs)[1]
        for r in reasons
        if r.criterion == "county"
    }
    assert relations == {"same", "serves"}
