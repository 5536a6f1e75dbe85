"""Each criterion's reason reads as staff expect, in Chinese by default."""

import pytest
from django.utils import translation

from matching.reasons import describe


@pytest.mark.parametrize(
    ("reason", "text"),
    [
        ({"criterion": "county", "args": {"county": "罗定市", "relation": "same"}}, "同在罗定市"),
        ({"criterion": "county", "args": {"county": "罗定市", "relation": "serves"}}, "服务罗定市"),
        (
            {
                "criterion": "text",
                "args": {"need": "想开微店", "expertise": "微店运营", "source": "tag"},
            },
            "需求「想开微店」↔ 擅长「微店运营」",
        ),
        (
            {
                "criterion": "text",
                "args": {"need": "想学冷链", "expertise": "冷链运输", "source": "introduction"},
            },
            "需求「想学冷链」↔ 简介「冷链运输」",
        ),
        (
            {
                "criterion": "text",
                "args": {
                    "need": "石材工艺品",
                    "need_source": "product",
                    "expertise": "经营石材工艺品网店",
                    "source": "introduction",
                },
            },
            "产品「石材工艺品」↔ 简介「经营石材工艺品网店」",
        ),
        ({"criterion": "product", "args": {"product": "肉桂", "tag": None}}, "熟悉肉桂"),
        (
            {"criterion": "product", "args": {"product": "沙糖桔", "tag": "冷链物流"}},
            "沙糖桔 ↔ 擅长「冷链物流」",
        ),
        (
            {"criterion": "channel", "args": {"channel": "抖音", "tag": "直播带货"}},
            "在抖音销售 ↔ 擅长「直播带货」",
        ),
        (
            {"criterion": "stage", "args": {"stage": "想法阶段", "expert_type": "创业指导专家"}},
            "想法阶段适合创业指导专家",
        ),
    ],
)
def test_reasons_read_in_chinese(reason, text):
    with translation.override("zh-hans"):
        assert describe(reason) == text


def test_reasons_follow_the_readers_language():
    with translation.override("en"):
        same = {"criterion": "county", "args": {"county": "罗定市", "relation": "same"}}
        assert describe(same) == "Both in 罗定市"
