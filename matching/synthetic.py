"""Synthetic but plausible experts and entrepreneurs of Yunfu, for the benchmark and tests.

Each county has its own products (罗定 rice and cinnamon, 郁南 seedless wampee and sugar
oranges, 新兴 poultry and preserved fruit, ...); needs are Chinese sentences composed from
what entrepreneurs at each stage actually ask for, so that the text criterion has real
signal to find and real noise to ignore.
"""

import numpy as np

from matching.scoring import (
    CHANNELS,
    COUNTIES,
    EXPERT_TYPES,
    STAGES,
    EntrepreneurProfile,
    ExpertProfile,
)

# County, share of entrepreneurs, its products (most common first).
COUNTY_PRODUCTS = {
    "罗定市": (0.30, ("罗定稻米", "肉桂", "南药")),
    "郁南县": (0.22, ("无核黄皮", "沙糖桔")),
    "新兴县": (0.20, ("禽畜", "凉果")),
    "云安区": (0.14, ("南药", "石材")),
    "云城区": (0.14, ("石材工艺品",)),
}
OTHER_PRODUCTS = ("其他", "土蜂蜜", "腐竹")

BACKGROUNDS = ("返乡大学生", "返乡职校生", "返乡务工人员", "本地农户", "其他")
BACKGROUND_SHARES = (0.25, 0.15, 0.25, 0.3, 0.05)
STAGE_SHARES = (0.45, 0.35, 0.2)
ORGANISATION_KINDS = ("商协会", "培训机构", "高校", "职业院校", "企业")

# What an entrepreneur says they want, by stage; {product} and {channel} are filled in.
GOALS = {
    "想法阶段": (
        "想开{channel}卖自家的{product}",
        "打算回乡做{product}电商",
        "想试试在{channel}上卖{product}",
        "家里种了{product}想自己开网店",
    ),
    "已开店": (
        "店铺开了半年{product}销量上不去",
        "在{channel}卖{product}但是流量很少",
        "想多卖一些{product}",
        "{product}网店想做得更好",
    ),
    "稳定经营": (
        "想把{product}做成自己的品牌",
        "{product}订单多了想扩大规模",
        "想把{product}卖到省外",
        "{product}生意稳定了想带动乡亲一起做",
    ),
}
# Problems, each with the expertise tag that answers it.
PROBLEMS = (
    ("不会拍照和写商品描述", "开网店"),
    ("不知道微店怎么装修和推广", "微店运营"),
    ("不懂直播怎么带货", "直播带货"),
    ("不会拍短视频和剪辑", "短视频"),
    ("没有品牌名气卖不上价", "农产品品牌"),
    ("包装太简单容易压坏", "包装设计"),
    ("生鲜发货路上容易坏物流成本高", "冷链物流"),
    ("果子品质不稳定产量低", "种植技术"),
    ("缺少启动资金不懂贷款", "财务与融资"),
    ("差评多不会处理售后", "客服与售后"),
)
STAGE_PROBLEMS = {
    "想法阶段": (0, 1, 3, 8),
    "已开店": (0, 1, 2, 3, 5, 9),
    "稳定经营": (4, 5, 6, 7, 8, 9),
}

TYPE_SHARES = (0.25, 0.35, 0.2, 0.2)
TYPE_TAGS = {
    "创业指导专家": ("开网店", "财务与融资", "微店运营", "农产品品牌"),
    "农村电商专家": ("开网店", "微店运营", "直播带货", "短视频", "客服与售后"),
    "农业技术专家": ("种植技术", "冷链物流", "农产品品牌"),
    "电商企业家": ("直播带货", "农产品品牌", "包装设计", "冷链物流", "财务与融资", "短视频"),
}
TYPE_FIELDS = {
    "创业指导专家": "创业辅导",
    "农村电商专家": "农村电商培训",
    "农业技术专家": "农业技术推广",
    "电商企业家": "农产品电商经营",
}
TAG_PHRASES = {
    "开网店": "帮助学员从零开网店、拍摄商品图片和撰写商品描述",
    "微店运营": "微店装修、推广和微信社群运营",
    "直播带货": "抖音直播带货和直播间话术",
    "短视频": "短视频拍摄剪辑和账号运营",
    "农产品品牌": "农产品品牌策划和地理标志产品推广",
    "包装设计": "农产品包装设计和减少运输破损",
    "冷链物流": "生鲜冷链物流和发货成本控制",
    "种植技术": "标准化种植技术和提高果品品质",
    "财务与融资": "小微企业记账、贷款和创业融资",
    "客服与售后": "网店客服和售后差评处理",
}


def _pick(rng, options, shares=None):
    return options[rng.choice(len(options), p=shares)]


def _county_shares():
    shares = np.array([share for share, _ in COUNTY_PRODUCTS.values()])
    return tuple(COUNTY_PRODUCTS), shares / shares.sum()


def make_entrepreneurs(n: int, random_state=None) -> list[EntrepreneurProfile]:
    """``n`` entrepreneurs spread over the five counties like Yunfu's registry."""
    rng = np.random.default_rng(random_state)
    counties, county_shares = _county_shares()
    people = []
    for index in range(n):
        county = _pick(rng, counties, county_shares)
        local = COUNTY_PRODUCTS[county][1]
        products = [_pick(rng, local)]
        if rng.random() < 0.3:
            products.append(_pick(rng, local + OTHER_PRODUCTS))
        products = tuple(dict.fromkeys(products))
        stage = _pick(rng, STAGES, STAGE_SHARES)
        channels = tuple(
            dict.fromkeys(_pick(rng, CHANNELS) for _ in range(1 + (rng.random() < 0.4)))
        )
        goal = _pick(rng, GOALS[stage]).format(product=products[0], channel=channels[0])
        problems = rng.choice(STAGE_PROBLEMS[stage], size=1 + (rng.random() < 0.5), replace=False)
        needs = "，".join([goal] + [PROBLEMS[p][0] for p in problems])
        people.append(
            EntrepreneurProfile(
                key=index,
                county=county,
                products=products,
                needs=needs,
                channels=channels,
                stage=stage,
                background=_pick(rng, BACKGROUNDS, BACKGROUND_SHARES),
            )
        )
    return people


def _places(rng, n_experts: int, total: int) -> np.ndarray:
    """``total`` places over the experts: at least one each when there are enough, the
    rest in proportion to an uneven willingness to mentor."""
    base = np.ones(n_experts, dtype=np.int64) if total >= n_experts else np.zeros(n_experts, int)
    willingness = rng.gamma(2.0, size=n_experts)
    extra = rng.multinomial(total - int(base.sum()), willingness / willingness.sum())
    return base + extra


def make_experts(n: int, total_capacity: int, random_state=None) -> list[ExpertProfile]:
    """``n`` lecturer-team experts offering ``total_capacity`` mentoring places in all."""
    rng = np.random.default_rng(random_state)
    counties, county_shares = _county_shares()
    places = _places(rng, n, total_capacity) if n else np.zeros(0, int)
    experts = []
    for index in range(n):
        expert_type = _pick(rng, EXPERT_TYPES, TYPE_SHARES)
        options = TYPE_TAGS[expert_type]
        tags = tuple(
            rng.choice(
                options, size=rng.integers(2, min(4, len(options)) + 1), replace=False
            ).tolist()
        )
        home = _pick(rng, counties, county_shares)
        if rng.random() < 0.15:
            served = COUNTIES
        else:
            others = [c for c in counties if c != home]
            served = (home, *rng.choice(others, size=rng.integers(0, 3), replace=False).tolist())
        known = COUNTY_PRODUCTS[home][1]
        product = _pick(rng, known)
        organisation = _pick(rng, ORGANISATION_KINDS)
        introduction = (
            f"{organisation}{TYPE_FIELDS[expert_type]}专家，"
            f"从事{TYPE_FIELDS[expert_type]}{rng.integers(3, 21)}年，"
            f"擅长{'；'.join(TAG_PHRASES[t] for t in tags)}。"
            + (f"熟悉{home}{product}的生产和销售。" if rng.random() < 0.6 else "")
        )
        experts.append(
            ExpertProfile(
                key=index,
                expert_type=expert_type,
                tags=tags,
                introduction=introduction,
                counties=tuple(served),
                organisation_kind=organisation,
                capacity=int(places[index]),
                # An expert works where they live: reasons then tell 同在 from 服务.
                base_county=home,
            )
        )
    return experts


def make_market(n_entrepreneurs: int, n_experts: int, capacity_ratio=1.0, random_state=None):
    """Entrepreneurs, experts and the experts' places (``capacity_ratio`` × entrepreneurs)."""
    rng = np.random.default_rng(random_state)
    seeds = rng.integers(2**32, size=2)
    entrepreneurs = make_entrepreneurs(n_entrepreneurs, seeds[0])
    total = int(round(capacity_ratio * n_entrepreneurs))
    experts = make_experts(n_experts, total, seeds[1])
    capacity = np.array([x.capacity for x in experts], dtype=np.int64)
    return entrepreneurs, experts, capacity
