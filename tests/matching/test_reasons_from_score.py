"""Each reason names what drove its criterion's share of the score (issue 14).

The profiles are built directly: the scorer knows no Django, and neither do its reasons.
The people are those of the sample sheets (mentors/samples), where coordinators read
需求「想学短视频拍摄」↔ 擅长「包装设计」 and 需求「销售稳定」↔ 擅长「农产品品牌」.
"""

import numpy as np
import pytest
from django.utils import translation

from matching.profiles import county_named_in, expert_profiles
from matching.reasons import describe, describe_all
from matching.scoring import (
    CRITERIA,
    EntrepreneurProfile,
    ExpertProfile,
    PairScorer,
    split_clauses,
)
from mentors.models import Expert
from tests.mentors.factories import make_expert


def entrepreneur(key, needs, products, county="罗定市", channels=(), stage="想法阶段"):
    return EntrepreneurProfile(
        key=key,
        county=county,
        products=products,
        needs=needs,
        channels=channels,
        stage=stage,
        background="返乡大学生",
    )


def expert(key, tags, introduction, counties=("罗定市",), base_county="", expert_type=None):
    return ExpertProfile(
        key=key,
        expert_type=expert_type or "农村电商专家",
        tags=tags,
        introduction=introduction,
        counties=counties,
        organisation_kind="企业",
        capacity=3,
        base_county=base_county,
    )


ZHAO = entrepreneur("赵春燕", "想学短视频拍摄，把村里的特产推出去。", ("石材工艺品",))
HE = entrepreneur(
    "何嘉慧",
    "销售稳定，想扩大收购规模，带动更多贫困户，需要融资方面的指导。",
    ("罗定稻米", "禽畜"),
    stage="稳定经营",
)
CHEN = expert(
    "陈子轩",
    ("包装设计", "冷链物流"),
    "经营石材工艺品网店十余年，熟悉外贸与跨境电商，乐于分享包装和物流经验。",
)
DENG = expert(
    "邓建华",
    ("农产品品牌", "种植技术"),
    "长期在云浮开展稻米和禽畜生产技术服务，熟悉产地初加工和冷链运输。",
)
LI = expert(
    "李卓然",
    ("农产品品牌", "财务与融资"),
    "创业导师，帮上百名返乡人员办理营业执照、核算成本、对接扶持政策。",
)
PEOPLE, EXPERTS = [ZHAO, HE], [CHEN, DENG, LI]


def text_reason(scorer, person, teacher):
    reasons = {r.criterion: r.text_args for r in scorer.explain(person, teacher)}
    return reasons.get("text")


def largest_term_product(scorer, person, teacher):
    """The largest product of the two TF-IDF vectors, term by term, and its n-gram."""
    vectorizer = scorer.text_vectorizer_
    # The texts as the scorer reads them: clauses and products, or tags, apart.
    left = vectorizer.transform([" ".join([*split_clauses(person.needs), *person.products])])
    right = vectorizer.transform([" ".join([*split_clauses(teacher.introduction), *teacher.tags])])
    products = left.multiply(right).toarray().ravel()
    terms = vectorizer.get_feature_names_out()
    two_characters = np.array([len(term.strip()) >= 2 for term in terms])
    products[~two_characters] = 0
    top = int(np.argmax(products))
    return products[top], terms[top].strip()


@pytest.mark.parametrize(
    ("person", "teacher", "nonsense"),
    [(ZHAO, CHEN, ("想学短视频拍摄", "包装设计")), (HE, DENG, ("销售稳定", "农产品品牌"))],
)
def test_the_nonsense_pairs_of_the_issue_are_gone(person, teacher, nonsense):
    # No threshold: whatever they share is quoted, so the quote itself is on trial.
    scorer = PairScorer(text_reason_threshold=0.0).fit(PEOPLE, EXPERTS)
    reason = text_reason(scorer, person, teacher)
    assert reason is not None  # they do share a telling word: the product
    assert (reason["need"], reason["expertise"]) != nonsense
    # What is quoted on both sides holds the n-gram that adds most to the similarity.
    _, term = largest_term_product(scorer, person, teacher)
    assert reason["term"] == term
    assert term in reason["need"] and term in reason["expertise"]


def test_the_product_named_in_an_introduction_reads_as_a_product():
    scorer = PairScorer().fit(PEOPLE, EXPERTS)
    reason = text_reason(scorer, ZHAO, CHEN)
    assert reason["need_source"] == "product" and reason["need"] == "石材工艺品"
    assert reason["source"] == "introduction"
    with translation.override("zh-hans"):
        assert describe({"criterion": "text", "args": reason}) == (
            "产品「石材工艺品」↔ 简介「经营石材工艺品网店十余年」"
        )


def test_the_text_reason_names_the_tag_holding_the_driving_term():
    """For 何嘉慧 and 李卓然, 融资 is the only telling word they share."""
    scorer = PairScorer(text_reason_threshold=0.0).fit(PEOPLE, EXPERTS)
    _, term = largest_term_product(scorer, HE, LI)
    assert term in "融资"
    reason = text_reason(scorer, HE, LI)
    assert reason == {
        "need": "需要融资方面的指导",
        "need_source": "needs",
        "expertise": "财务与融资",
        "source": "tag",
        "term": term,
    }


def test_no_text_reason_below_the_threshold():
    fitted = PairScorer().fit(PEOPLE, EXPERTS)
    largest, _ = largest_term_product(fitted, HE, LI)
    text = CRITERIA.index("text")
    for threshold, quoted in [(0.9 * largest, True), (1.1 * largest, False)]:
        scorer = PairScorer(text_reason_threshold=threshold).fit(PEOPLE, EXPERTS)
        assert scorer.criterion_values([HE], [LI], [[0, 0]])[0, text] > 0
        assert (text_reason(scorer, HE, LI) is not None) is quoted


def test_no_text_reason_from_single_shared_characters():
    """照相 and 照明 share only " 照": a similarity above zero that nothing explains."""
    person = entrepreneur(1, "照相", ())
    teacher = expert(1, ("照明",), "")
    scorer = PairScorer(text_reason_threshold=0.0).fit([person], [teacher])
    assert scorer.criterion_values([person], [teacher], [[0, 0]])[0, 0] > 0
    assert text_reason(scorer, person, teacher) is None


@pytest.mark.parametrize(
    ("base_county", "relation", "text"),
    [
        ("云安区", "serves", "服务罗定市"),
        ("罗定市", "same", "同在罗定市"),
        ("", "serves", "服务罗定市"),
    ],
)
def test_the_county_reason_tells_serving_from_being_based_there(base_county, relation, text):
    teacher = expert(1, ("开网店",), "", counties=("云安区", "罗定市"), base_county=base_county)
    scorer = PairScorer().fit([ZHAO], [teacher])
    reasons = {r.criterion: r for r in scorer.explain(ZHAO, teacher)}
    assert reasons["county"].text_args == {"county": "罗定市", "relation": relation}
    with translation.override("zh-hans"):
        assert describe({"criterion": "county", "args": reasons["county"].text_args}) == text


def test_product_and_channel_reasons_name_the_shared_item():
    person = entrepreneur(1, "想开店", ("石材工艺品", "沙糖桔"), channels=("淘宝", "抖音"))
    teacher = expert(1, ("直播带货",), "熟悉沙糖桔的种植。")
    scorer = PairScorer().fit([person], [teacher])
    reasons = {r.criterion: r.text_args for r in scorer.explain(person, teacher)}
    assert reasons["product"] == {"product": "沙糖桔", "tag": None}
    assert reasons["channel"] == {"channel": "抖音", "tag": "直播带货"}


def test_a_batch_gives_the_same_values_and_reasons_as_one_pair_at_a_time():
    scorer = PairScorer().fit(PEOPLE, EXPERTS)
    pairs = [[i, j] for i in range(len(PEOPLE)) for j in range(len(EXPERTS))]
    values, explained = scorer.explain_pairs(PEOPLE, EXPERTS, pairs)
    assert values == pytest.approx(scorer.criterion_values(PEOPLE, EXPERTS, pairs))
    for (i, j), reasons in zip(pairs, explained, strict=True):
        assert reasons == scorer.explain(PEOPLE[i], EXPERTS[j])


@pytest.mark.parametrize(
    ("reason", "text"),
    [
        ({"criterion": "county", "args": {"county": "罗定市"}}, "服务罗定市"),
        (
            {
                "criterion": "text",
                "args": {"need": "想开微店", "expertise": "微店运营", "source": "tag"},
            },
            "需求「想开微店」↔ 擅长「微店运营」",
        ),
        ({"criterion": "product", "args": {"product": "肉桂", "tag": None}}, "熟悉肉桂"),
    ],
)
def test_reasons_stored_in_the_old_format_still_read(reason, text):
    """Stored before ``relation`` and ``need_source``: a county then only meant served."""
    with translation.override("zh-hans"):
        assert describe_all([{**reason, "contribution": 0.3}]) == [text]


@pytest.mark.parametrize(
    ("organisation", "county"),
    [
        ("罗定市电子商务协会", "罗定市"),
        ("罗定职业技术学院", "罗定市"),
        ("云安区农业农村局", "云安区"),
        ("云浮市电子商务协会", ""),
        ("云浮市新兴产业协会", ""),
        ("郁南县与新兴县联合培训中心", ""),
    ],
)
def test_the_base_county_is_read_from_the_organisations_name(organisation, county):
    counties = ["云城区", "云安区", "新兴县", "郁南县", "罗定市"]
    assert county_named_in(organisation, counties) == county


@pytest.mark.django_db
def test_an_expert_of_a_yunan_organisation_serving_luoding_only_serves_it():
    make_expert("甲", organisation="云安区农业农村局", counties=("云安区", "罗定市"))
    make_expert("乙", organisation="罗定市电子商务协会", counties=("罗定市",))
    experts = Expert.objects.order_by("pk")
    profiles = expert_profiles(experts, {x.pk: 3 for x in experts})
    assert [p.base_county for p in profiles] == ["云安区", "罗定市"]
    scorer = PairScorer().fit([ZHAO], profiles)
    with translation.override("zh-hans"):
        county_reasons = [
            describe({"criterion": "county", "args": r.text_args})
            for teacher in profiles
            for r in scorer.explain(ZHAO, teacher)
            if r.criterion == "county"
        ]
    assert county_reasons == ["服务罗定市", "同在罗定市"]
