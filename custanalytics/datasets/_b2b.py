"""A seeded Chinese B2B demo: a transaction log and a customer master with prospects.

The data mimic an export from a Chinese ERP/CRM (column names in Chinese) of a supplier that
sells equipment, parts, consumables and services to enterprises, government bodies and
individual business owners. Spend is heavy-tailed (a few large enterprise and government
accounts bring most of the revenue), purchase frequency varies, and the log holds the usual
lifecycle mix: one-off buyers, customers who stopped buying more than a year ago, new
customers, regular ones. It also carries what cleaning must handle: returns (negative
``金额`` under the order number of an earlier purchase) and exact duplicate rows. The ``折扣``
column (yuan off the list price) follows the stated ``决策风格``: price-oriented customers buy
on discount more often than service- and quality-oriented ones. A log of the owners'
interactions with the customers (visits, calls, messages) comes on top. Both are drawn from
generators of their own so that the transactions and the master do not change with them.
"""

from __future__ import annotations

from numbers import Integral

import numpy as np
import pandas as pd

from ..errors import ParameterError

__all__ = ["load_b2b_demo", "load_b2b_demo_interactions"]

_MASTER_COLUMNS = [
    "客户编号", "客户名称", "客户类型", "行业", "地区", "省份", "渠道",
    "销售负责人", "负责人资历", "决策风格", "首次接触日期",
]  # fmt: skip
_WINDOW_DAYS = 730
_NEW_DAYS = 60
_RETURN_SHARE = 0.015
_DUPLICATE_SHARE = 0.005
#: Mean share of a customer's order lines bought on discount, by decision style; each
#: customer's own share is drawn from a beta distribution with this mean and concentration.
_DISCOUNT_PROPENSITY = {"价格导向": 0.55, "服务导向": 0.25, "质量导向": 0.12}
_DISCOUNT_CONCENTRATION = 6.0
_DISCOUNT_RATES = {0.05: 0.3, 0.10: 0.35, 0.15: 0.2, 0.20: 0.15}  # share off the list price
#: Stream of the generator that draws the discounts, apart from the main one (so that the
#: columns drawn before the discounts existed stay as they were).
_DISCOUNT_STREAM = 8  # the interactions draw from stream 7

_TYPES = {"企业": 0.72, "个人": 0.20, "政府": 0.08}
_REGION_BY_TYPE = {
    "企业": {"国内": 0.82, "国际": 0.18},
    "个人": {"国内": 0.97, "国际": 0.03},
    "政府": {"国内": 1.0},
}
_INDUSTRY_BY_TYPE = {
    "企业": {
        "制造业": 0.34,
        "服务业": 0.14,
        "零售": 0.12,
        "医疗": 0.08,
        "教育": 0.04,
        "金融": 0.08,
        "物流": 0.12,
        "建筑": 0.08,
    },
    "个人": {"零售": 0.5, "服务业": 0.4, "制造业": 0.1},
    "政府": {"公共管理": 0.5, "教育": 0.25, "医疗": 0.25},
}
_PLACE_BY_REGION = {
    "国内": {
        "广东": 0.18,
        "浙江": 0.14,
        "江苏": 0.14,
        "上海": 0.10,
        "北京": 0.08,
        "四川": 0.07,
        "山东": 0.08,
        "福建": 0.06,
        "湖北": 0.05,
        "河南": 0.05,
        "天津": 0.02,
        "重庆": 0.03,
    },
    "国际": {
        "美国": 0.2,
        "德国": 0.15,
        "日本": 0.12,
        "韩国": 0.1,
        "新加坡": 0.1,
        "越南": 0.1,
        "阿联酋": 0.08,
        "英国": 0.08,
        "澳大利亚": 0.07,
    },
}
_CITIES = {
    "广东": ["深圳", "广州", "东莞", "佛山", "珠海"],
    "浙江": ["杭州", "宁波", "温州", "绍兴"],
    "江苏": ["苏州", "南京", "无锡", "常州"],
    "上海": ["上海"],
    "北京": ["北京"],
    "四川": ["成都", "绵阳"],
    "山东": ["青岛", "济南", "烟台"],
    "福建": ["厦门", "福州", "泉州"],
    "湖北": ["武汉", "宜昌"],
    "河南": ["郑州", "洛阳"],
    "天津": ["天津"],
    "重庆": ["重庆"],
}
_CHANNEL_BY_REGION = {
    "国内": {"展会": 0.2, "官网": 0.25, "转介绍": 0.25, "电话营销": 0.2, "代理商": 0.1},
    "国际": {"展会": 0.45, "官网": 0.2, "转介绍": 0.1, "代理商": 0.25},
}
_STYLE_BY_TYPE = {
    "企业": {"质量导向": 0.4, "价格导向": 0.35, "服务导向": 0.25},
    "个人": {"质量导向": 0.2, "价格导向": 0.6, "服务导向": 0.2},
    "政府": {"质量导向": 0.45, "价格导向": 0.15, "服务导向": 0.4},
}
_SENIORITY = ("初级", "中级", "高级", "经理")
_OWNERS = {
    "张伟": "经理",
    "李娜": "经理",
    "王磊": "高级",
    "刘洋": "高级",
    "陈静": "高级",
    "杨帆": "中级",
    "赵敏": "中级",
    "黄涛": "中级",
    "周婷": "中级",
    "吴昊": "初级",
    "孙悦": "初级",
    "徐晨": "初级",
}
_SPEND_BY_TYPE = pd.DataFrame(  # lognormal medians (yuan, orders per year) and log-sds
    {
        "企业": {"spend": 60_000, "spend_sd": 1.25, "rate": 6.0, "rate_sd": 0.7},
        "个人": {"spend": 8_000, "spend_sd": 0.9, "rate": 3.0, "rate_sd": 0.6},
        "政府": {"spend": 150_000, "spend_sd": 1.1, "rate": 3.0, "rate_sd": 0.5},
    }
).T
_INTERNATIONAL_SPEND_FACTOR = 1.5
_SEGMENTS = {"single": 0.15, "churned": 0.15, "new": 0.08, "regular": 0.62}
_CATEGORIES = pd.DataFrame(
    {
        "price": [48_000.0, 12_000.0, 3_600.0, 260.0, 85.0, 18.0],  # list unit price, yuan
        "weight": [0.10, 0.10, 0.15, 0.25, 0.20, 0.20],
    },
    index=["成套设备", "软件服务", "维保服务", "零部件", "原材料", "耗材"],
)
_MAX_QUANTITY = 2_000

_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾"
    "肖田董袁潘蒋蔡余杜叶程苏魏吕丁沈姚卢钟谭陆汪范金廖夏方邹熊秦邱江"
)
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚英华建文辉玲鹏斌宇浩凯晨亮红飞志国荣"
_BRAND = "华瑞恒泰鑫盛通达宏远创新博联信德嘉和安康祥源腾飞中天海正隆兴益美锦诚汇智晟昊"
_TRADE_WORDS = {
    "制造业": ["精密机械", "电子科技", "新材料", "机电设备", "汽车零部件", "模具"],
    "服务业": ["企业管理咨询", "信息技术服务", "人力资源", "会展服务", "物业管理"],
    "零售": ["商贸", "连锁超市", "百货", "电子商务"],
    "医疗": ["医疗器械", "医药", "健康科技"],
    "教育": ["教育科技", "职业培训"],
    "金融": ["融资租赁", "投资管理", "保险代理"],
    "物流": ["物流", "供应链管理", "国际货运代理"],
    "建筑": ["建设工程", "建筑装饰", "钢结构工程"],
}
_COMPANY_SUFFIXES = {"有限公司": 0.7, "股份有限公司": 0.2, "集团有限公司": 0.1}
_AGENCIES = {
    "公共管理": ["交通运输局", "市场监督管理局", "自然资源局", "住房和城乡建设局", "应急管理局"],
    "教育": ["教育局", "第一中学", "实验中学", "职业技术学院"],
    "医疗": ["人民医院", "中医院", "卫生健康委员会", "疾病预防控制中心"],
}
_DISTRICTS = ["高新区", "经济开发区", "新区", "东区", "西区", "南区", "北区", "中心区"]
_NAME_ATTEMPTS = 20
_INTERACTION_COLUMNS = ["日期", "客户编号", "销售负责人", "联系方式"]
_INTERACTION_DAYS = 365
#: Days between contacts the owners aim at, by the customer's share of revenue (as the demo's
#: ABC policy: top 80 % of revenue, the next 15 %, the rest) and for prospects.
_AIMED_DAYS = {"high": 14, "mid": 30, "low": 90, "prospect": 30}
_CONTACT_KINDS = {
    "high": {"拜访": 0.55, "电话": 0.25, "微信": 0.15, "邮件": 0.05},
    "mid": {"拜访": 0.2, "电话": 0.4, "微信": 0.3, "邮件": 0.1},
    "low": {"拜访": 0.05, "电话": 0.25, "微信": 0.35, "邮件": 0.35},
    "prospect": {"拜访": 0.3, "电话": 0.4, "微信": 0.2, "邮件": 0.1},
}
#: Contacts each owner makes for one aimed at: some keep the cadence, some fall well short.
_DILIGENCE = {
    "张伟": 1.25, "李娜": 1.05, "王磊": 1.15, "刘洋": 0.55, "陈静": 0.9, "杨帆": 1.0,
    "赵敏": 0.45, "黄涛": 0.8, "周婷": 1.2, "吴昊": 0.6, "孙悦": 0.9, "徐晨": 0.35,
}  # fmt: skip
_MANAGERS = ("张伟", "李娜")
_GAP_SHAPE = 4.0  # gamma shape of the gaps between contacts: regular, not clockwork
_LAPSED_SHARE = 0.2  # accounts a less diligent owner stopped calling during the year
_LOST_FACTOR = 0.3  # contacts kept up with customers who stopped buying a year ago
_PROSPECTS_CONTACTED = 0.6
_COVERED_SHARE = 0.05  # contacts made by a manager standing in for the owner
_INTERACTION_DUPLICATES = 6
_INTERACTIONS_AFTER_AS_OF = 2  # visits already logged for the days after as-of
_UNKNOWN_CUSTOMERS = 2  # contacts with ids the master no longer has
_SOLE_TRADER_WORDS = {"零售": "商行", "服务业": "工作室", "制造业": "加工厂"}


def load_b2b_demo(
    n_customers: int = 400,
    n_prospects: int = 80,
    *,
    as_of: str | pd.Timestamp = "2025-12-31",
    random_state: int | np.random.Generator | None = 0,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Generate a seeded Chinese B2B demo: transactions and a customer master.

    Parameters
    ----------
    n_customers : int
        Number of customers with at least one purchase.
    n_prospects : int
        Number of prospects: customers in the master who never bought.
    as_of : str or pandas.Timestamp
        Observation end. Purchases span the two years before it; every ``下单时间`` is
        earlier than midnight at the start of ``as_of``.
    random_state : int, numpy.random.Generator or None
        Seed or generator passed to :func:`numpy.random.default_rng`.

    Returns
    -------
    transactions : pandas.DataFrame
        One row per order line, sorted by ``下单时间``: ``客户编号`` (str), ``订单号`` (str,
        ``SO`` + date + number), ``下单时间`` (datetime64[ns]), ``金额`` (float, yuan),
        ``数量`` (int), ``产品类别`` (str) and ``折扣`` (float, yuan off the list price; 0
        when the line was not discounted). About 1.5 % of rows are returns (negative
        ``金额``, ``数量`` and ``折扣``, the returned part of the line, under the ``订单号``
        of an earlier purchase of the same customer) and about 0.5 % are exact duplicates
        of another row.
    customers : pandas.DataFrame
        One row per customer and prospect, sorted by ``客户编号`` (``KH00001`` …):
        ``客户名称``, ``客户类型`` (企业/个人/政府), ``行业``, ``地区`` (国内/国际), ``省份`` (a
        province, or a country for international customers), ``渠道``, ``销售负责人``,
        ``负责人资历`` (初级/中级/高级/经理, fixed per owner), ``决策风格`` and
        ``首次接触日期`` (datetime64[ns], midnight).

    Raises
    ------
    ParameterError
        If ``n_customers`` is not a positive integer, ``n_prospects`` is not a non-negative
        integer or ``as_of`` is not a date.
    """
    _check_count("n_customers", n_customers, minimum=1)
    _check_count("n_prospects", n_prospects, minimum=0)
    end = _as_of(as_of)
    rng = np.random.default_rng(random_state)
    master = _master(rng, n_customers + n_prospects)
    is_buyer = np.zeros(len(master), dtype=bool)
    is_buyer[rng.choice(len(master), n_customers, replace=False)] = True
    potential = _yearly_spend(rng, master)
    master["销售负责人"] = _owners(rng, potential)
    master["负责人资历"] = master["销售负责人"].map(_OWNERS)

    buyers = master.loc[is_buyer, ["客户编号", "客户类型"]].reset_index(drop=True)
    orders = _orders(rng, buyers, potential[is_buyer], end)
    style = orders["客户编号"].map(master.set_index("客户编号")["决策风格"])
    orders["折扣"] = _discounts(_side_rng(random_state, _DISCOUNT_STREAM), orders, style)
    transactions = _with_duplicates(rng, _with_returns(rng, orders, end))
    master["首次接触日期"] = _first_contact(rng, master, orders, end)
    return transactions, master[_MASTER_COLUMNS]


def load_b2b_demo_interactions(
    n_customers: int = 400,
    n_prospects: int = 80,
    *,
    as_of: str | pd.Timestamp = "2025-12-31",
    random_state: int | np.random.Generator | None = 0,
) -> pd.DataFrame:
    """Generate the owners' interactions with the customers of :func:`load_b2b_demo`.

    Over the year before ``as_of`` each account owner contacts their customers at the
    cadence the customer's value suggests (the top 80 % of revenue every 14 days, the next
    15 % every 30, the rest every 90; prospects every 30 days, for 60 % of them), scaled by
    how diligent the owner is: 张伟, 周婷 and 王磊 keep the cadence, 徐晨, 赵敏 and 刘洋 fall
    well short. The gaps between contacts vary (gamma distributed) within each customer's
    span: from the first contact up to as-of, or, for 20 % of the accounts of the owners
    below the cadence, to the day the owner stopped; customers who stopped buying a year
    ago are contacted less. High-value customers are mostly
    visited, low-value ones mostly messaged. About 5 % of contacts are made by a manager
    standing in. For the cleaning to count: 6 exact duplicate rows, 2 rows dated after
    as-of and 2 rows of ids the master does not have.

    Parameters
    ----------
    n_customers, n_prospects, as_of
        As for :func:`load_b2b_demo`, whose customers these are.
    random_state : int, numpy.random.Generator or None
        The seed of :func:`load_b2b_demo`; the interactions are drawn from a generator of
        their own (seeded ``[random_state, 7]``), so the transactions and the master are
        those of the same seed. A generator draws the demo first, then the interactions.

    Returns
    -------
    pandas.DataFrame
        One row per contact, sorted by ``日期``: ``日期`` (datetime64[ns], office hours),
        ``客户编号`` (str), ``销售负责人`` (str, who made the contact) and ``联系方式``
        (拜访 / 电话 / 微信 / 邮件).

    Raises
    ------
    ParameterError
        As :func:`load_b2b_demo`.
    """
    transactions, master = load_b2b_demo(
        n_customers, n_prospects, as_of=as_of, random_state=random_state
    )
    end = _as_of(as_of)
    seed = [random_state, 7] if isinstance(random_state, Integral) else random_state
    rng = np.random.default_rng(seed)
    ids = master["客户编号"].to_numpy()
    value = _value_class(transactions, master)
    contacted = (value != "prospect") | (rng.random(len(master)) < _PROSPECTS_CONTACTED)
    owner = master["销售负责人"].to_numpy()
    last_purchase = master["客户编号"].map(transactions.groupby("客户编号")["下单时间"].max())
    start = np.maximum(
        (master["首次接触日期"] - (end - pd.Timedelta(days=_INTERACTION_DAYS))).dt.days, 0
    ).to_numpy()
    stop = np.full(len(master), float(_INTERACTION_DAYS))
    diligence = pd.Series(owner).map(_DILIGENCE).to_numpy()
    lapsed = (rng.random(len(master)) < _LAPSED_SHARE) & (diligence < 1)
    stop[lapsed] = start[lapsed] + rng.random(lapsed.sum()) * (_INTERACTION_DAYS - start[lapsed])
    lost = (last_purchase < end - pd.Timedelta(days=_INTERACTION_DAYS)).to_numpy()
    rate = (
        diligence
        * np.where(lost, _LOST_FACTOR, 1.0)
        * rng.lognormal(0, 0.25, len(master))
        / pd.Series(value).map(_AIMED_DAYS).to_numpy()
    )
    row, day = _contact_days(rng, np.where(contacted, rate, 0.0), start, stop)
    seconds = rng.integers(9 * 3600, 18 * 3600, len(row))
    first_day = end - pd.Timedelta(days=_INTERACTION_DAYS)
    made_by = owner[row].copy()
    covered = rng.random(len(row)) < _COVERED_SHARE
    made_by[covered] = np.where(owner[row][covered] == _MANAGERS[0], *_MANAGERS[::-1])
    log = pd.DataFrame(
        {
            "日期": first_day + pd.to_timedelta(day * 86_400 + seconds, unit="s"),
            "客户编号": ids[row],
            "销售负责人": made_by,
            "联系方式": _draw(rng, value[row], _CONTACT_KINDS),
        }
    )
    return _with_interaction_noise(rng, log, master, end)


def _contact_days(
    rng: np.random.Generator, rate: np.ndarray, start: np.ndarray, stop: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Draw contact days per customer: gamma gaps around 1 / rate, a random first one.

    Returns the customer (row of ``rate``) and the day (0 = first day of the log) of each.
    """
    span = np.maximum(stop - start, 0)
    mean_gap = np.divide(1.0, rate, out=np.full(len(rate), np.inf), where=rate > 0)
    draws = np.where(rate > 0, np.ceil(span / mean_gap * 1.5) + 3, 0).astype("int64")
    row = np.repeat(np.arange(len(rate)), draws)
    gaps = rng.gamma(_GAP_SHAPE, mean_gap[row] / _GAP_SHAPE)
    first = (np.cumsum(draws) - draws)[draws > 0]
    gaps[first] = rng.random(len(first)) * mean_gap[row[first]]  # joined the cadence at random
    total = np.cumsum(gaps)
    offset = total - np.repeat(total[first] - gaps[first], draws[draws > 0])
    kept = offset < span[row]
    return row[kept], np.floor(start[row[kept]] + offset[kept])


def _value_class(transactions: pd.DataFrame, master: pd.DataFrame) -> np.ndarray:
    """``high`` / ``mid`` / ``low`` by cumulative revenue share (80 % / 95 %), or ``prospect``."""
    revenue = transactions.groupby("客户编号")["金额"].sum().sort_values(ascending=False)
    before = (revenue.cumsum() - revenue) / revenue.sum()  # share of the customers above
    value = pd.Series(
        np.select([before < 0.8, before < 0.95], ["high", "mid"], "low"), revenue.index
    )
    return master["客户编号"].map(value).fillna("prospect").to_numpy()


def _with_interaction_noise(
    rng: np.random.Generator, log: pd.DataFrame, master: pd.DataFrame, end: pd.Timestamp
) -> pd.DataFrame:
    """Add duplicates, rows after as-of and rows of unknown ids; sort by time."""
    copies = log.iloc[rng.choice(len(log), _INTERACTION_DUPLICATES, replace=False)]
    later = log.iloc[rng.choice(len(log), _INTERACTIONS_AFTER_AS_OF, replace=False)].assign(
        日期=end
        + pd.to_timedelta(rng.integers(1, 6, _INTERACTIONS_AFTER_AS_OF), unit="D")
        + pd.Timedelta(hours=10)
    )
    width = len(master["客户编号"].iloc[0]) - 2
    unknown = log.iloc[rng.choice(len(log), _UNKNOWN_CUSTOMERS, replace=False)].assign(
        客户编号=[f"KH{len(master) + 7 * (i + 1):0{width}d}" for i in range(_UNKNOWN_CUSTOMERS)]
    )
    return pd.concat([log, copies, later, unknown]).sort_values(
        ["日期", "客户编号"], ignore_index=True, kind="stable"
    )[_INTERACTION_COLUMNS]


def _check_count(name: str, value: object, *, minimum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, Integral) or value < minimum:
        raise ParameterError(
            f"{name} must be an integer >= {minimum}, got {value!r}; pass e.g. {name}=100"
        )


def _as_of(value: str | pd.Timestamp) -> pd.Timestamp:
    message = f"as_of must be a date without time zone, got {value!r}; pass e.g. '2025-12-31'"
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError) as exc:
        raise ParameterError(message) from exc
    if pd.isna(stamp) or stamp.tz is not None:
        raise ParameterError(message)
    return stamp.normalize().as_unit("ns")


def _side_rng(random_state: int | np.random.Generator | None, stream: int) -> np.random.Generator:
    """Return a generator of its own for columns added later, apart from the main one."""
    if isinstance(random_state, np.random.Generator):
        return random_state.spawn(1)[0]  # leaves the parent's draws as they are
    return np.random.default_rng(None if random_state is None else [random_state, stream])


def _discounts(rng: np.random.Generator, orders: pd.DataFrame, style: pd.Series) -> np.ndarray:
    """Draw the discount (yuan off the list price) of each order line, by decision style."""
    customers, owner = np.unique(orders["客户编号"].to_numpy(), return_inverse=True)
    first = pd.Series(style.to_numpy()).groupby(owner).first().to_numpy()
    mean = np.array([_DISCOUNT_PROPENSITY[s] for s in first])
    propensity = rng.beta(mean * _DISCOUNT_CONCENTRATION, (1 - mean) * _DISCOUNT_CONCENTRATION)
    on = rng.random(len(orders)) < propensity[owner]
    rate = rng.choice(list(_DISCOUNT_RATES), len(orders), p=list(_DISCOUNT_RATES.values()))
    paid = orders["金额"].to_numpy()
    return np.where(on, np.round(paid * rate / (1 - rate), 2), 0.0)


def _draw(rng: np.random.Generator, keys: np.ndarray, table: dict) -> np.ndarray:
    """Draw one label per element of ``keys`` from the distribution ``table[key]``."""
    labels = np.empty(len(keys), dtype=object)
    for key, distribution in table.items():
        rows = np.flatnonzero(keys == key)
        labels[rows] = rng.choice(list(distribution), len(rows), p=list(distribution.values()))
    return labels


def _master(rng: np.random.Generator, n: int) -> pd.DataFrame:
    """Draw the attributes and names of ``n`` customers (owner and first contact come later)."""
    kinds = rng.choice(list(_TYPES), n, p=list(_TYPES.values()))
    regions = _draw(rng, kinds, _REGION_BY_TYPE)
    industries = _draw(rng, kinds, _INDUSTRY_BY_TYPE)
    places = _draw(rng, regions, _PLACE_BY_REGION)
    width = max(5, len(str(n)))
    return pd.DataFrame(
        {
            "客户编号": [f"KH{number:0{width}d}" for number in range(1, n + 1)],
            "客户名称": _names(rng, kinds, industries, places),
            "客户类型": kinds,
            "行业": industries,
            "地区": regions,
            "省份": places,
            "渠道": _draw(rng, regions, _CHANNEL_BY_REGION),
            "决策风格": _draw(rng, kinds, _STYLE_BY_TYPE),
        }
    ).astype("str")


def _names(
    rng: np.random.Generator, kinds: np.ndarray, industries: np.ndarray, places: np.ndarray
) -> list[str]:
    """Draw a distinct plausible name per customer; numbered once redraws keep colliding."""
    names: list[str] = []
    taken: set[str] = set()
    for kind, industry, place in zip(kinds, industries, places, strict=True):
        name = _name(rng, kind, industry, place)
        for _ in range(_NAME_ATTEMPTS):
            if name not in taken:
                break
            name = _name(rng, kind, industry, place)
        number = 2
        base = name
        while name in taken:
            name, number = f"{base}（{number}）", number + 1
        taken.add(name)
        names.append(name)
    return names


def _name(rng: np.random.Generator, kind: str, industry: str, place: str) -> str:
    city = rng.choice(_CITIES.get(place, [place]))
    if kind == "个人":
        person = rng.choice(list(_SURNAMES)) + "".join(rng.choice(list(_GIVEN), rng.integers(1, 3)))
        return f"{city}{person}{_SOLE_TRADER_WORDS[industry]}" if rng.random() < 0.3 else person
    if kind == "政府":
        district = rng.choice(_DISTRICTS) if rng.random() < 0.5 else ""
        return f"{city}市{district}{rng.choice(_AGENCIES[industry])}"
    brand = "".join(rng.choice(list(_BRAND), 2, replace=False))
    trade = rng.choice(_TRADE_WORDS[industry])
    if place not in _CITIES:
        return f"{place}{brand}{trade}公司"
    suffix = rng.choice(list(_COMPANY_SUFFIXES), p=list(_COMPANY_SUFFIXES.values()))
    return f"{city}{brand}{trade}{suffix}"


def _yearly_spend(rng: np.random.Generator, master: pd.DataFrame) -> np.ndarray:
    """Draw each customer's expected yearly spend (yuan): lognormal by type, more abroad."""
    spec = _SPEND_BY_TYPE.loc[master["客户类型"]]
    factor = np.where(master["地区"] == "国际", _INTERNATIONAL_SPEND_FACTOR, 1.0)
    noise = np.exp(spec["spend_sd"].to_numpy() * rng.standard_normal(len(master)))
    return spec["spend"].to_numpy() * factor * noise


def _owners(rng: np.random.Generator, potential: np.ndarray) -> np.ndarray:
    """Assign owners: the higher the potential, the more senior the owner, with noise."""
    quantile = (np.argsort(np.argsort(potential)) + 0.5) / len(potential)
    noisy = np.round(quantile * (len(_SENIORITY) - 1) + rng.normal(0, 0.6, len(potential)))
    levels = np.clip(noisy, 0, len(_SENIORITY) - 1).astype(int)
    by_level = {
        level: [owner for owner, rank in _OWNERS.items() if rank == _SENIORITY[level]]
        for level in range(len(_SENIORITY))
    }
    return _draw(
        rng,
        levels,
        {level: dict.fromkeys(names, 1 / len(names)) for level, names in by_level.items()},
    )


def _orders(
    rng: np.random.Generator, buyers: pd.DataFrame, yearly_spend: np.ndarray, end: pd.Timestamp
) -> pd.DataFrame:
    """Draw every buyer's purchases over the ``_WINDOW_DAYS`` days before ``end``."""
    spec = _SPEND_BY_TYPE.loc[buyers["客户类型"]]
    noise = np.exp(spec["rate_sd"].to_numpy() * rng.standard_normal(len(buyers)))
    per_year = spec["rate"].to_numpy() * noise
    first_day, last_day = _active_days(rng, len(buyers))
    n_orders = 1 + rng.poisson(per_year * (last_day - first_day) / 365)

    owner = np.repeat(np.arange(len(buyers)), n_orders)
    is_first = np.zeros(len(owner), dtype=bool)
    is_first[np.cumsum(n_orders) - n_orders] = True
    span = (last_day - first_day + 1)[owner]
    day = first_day[owner] + np.where(is_first, 0, np.floor(rng.random(len(owner)) * span))
    seconds = rng.integers(8 * 3600, 20 * 3600, len(owner))
    start = end - pd.Timedelta(days=_WINDOW_DAYS)
    times = start + pd.to_timedelta(day * 86_400 + seconds, unit="s")

    value = (yearly_spend / per_year)[owner] * rng.lognormal(0, 0.5, len(owner))
    category, unit_price = _categories(rng, value)
    quantity = np.maximum(1, np.round(value / unit_price)).astype("int64")
    orders = pd.DataFrame(
        {
            "客户编号": buyers["客户编号"].to_numpy()[owner],
            "下单时间": times,
            "金额": np.round(quantity * unit_price, 2),
            "数量": quantity,
            "产品类别": category,
        }
    ).sort_values(["下单时间", "客户编号"], ignore_index=True)
    orders.insert(1, "订单号", _order_numbers(orders["下单时间"]))
    return orders.astype({"客户编号": "str", "产品类别": "str"})


def _active_days(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Draw first and last purchase day (0 = window start) per lifecycle segment."""
    segment = rng.choice(list(_SEGMENTS), n, p=list(_SEGMENTS.values()))
    last_year = _WINDOW_DAYS - 365
    anywhere = rng.integers(0, _WINDOW_DAYS, n)
    churned_first = rng.integers(0, last_year - 60, n)
    first = np.select(
        [segment == "single", segment == "churned", segment == "new"],
        [anywhere, churned_first, rng.integers(_WINDOW_DAYS - _NEW_DAYS, _WINDOW_DAYS, n)],
        default=rng.integers(0, _WINDOW_DAYS - _NEW_DAYS, n),
    )
    churned_last = churned_first + np.floor(rng.random(n) * (last_year - churned_first))
    last = np.select(
        [segment == "single", segment == "churned"],
        [first, churned_last],
        default=_WINDOW_DAYS - 1,
    )
    return first, last.astype("int64")


def _categories(rng: np.random.Generator, value: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Draw a category per order among those whose unit price suits the order value.

    A category suits if one unit costs at most 1.5 times the value and the value needs at
    most ``_MAX_QUANTITY`` units; the category whose price is nearest to 1/20 of the value
    always suits. Returns the categories and the unit prices after a customer discount.
    """
    prices = _CATEGORIES["price"].to_numpy()
    suits = (prices <= 1.5 * value[:, None]) & (prices * _MAX_QUANTITY >= value[:, None])
    nearest = np.abs(np.log(prices) - np.log(value[:, None] / 20)).argmin(axis=1)
    suits[np.arange(len(value)), nearest] = True
    cumulative = np.cumsum(suits * _CATEGORIES["weight"].to_numpy(), axis=1)
    draw = rng.random(len(value))[:, None] * cumulative[:, -1:]
    chosen = (cumulative <= draw).sum(axis=1)
    discount = rng.uniform(0.85, 1.05, len(value))
    return _CATEGORIES.index.to_numpy()[chosen], np.round(prices[chosen] * discount, 2)


def _order_numbers(times: pd.Series) -> pd.Series:
    """``SO`` + order date + running number within the day, e.g. ``SO202501030007``."""
    day = times.dt.strftime("%Y%m%d")
    running = times.groupby(day).cumcount() + 1
    return "SO" + day + running.astype("str").str.zfill(4)


def _with_returns(
    rng: np.random.Generator, orders: pd.DataFrame, end: pd.Timestamp
) -> pd.DataFrame:
    """Append returns of part of earlier orders: same customer and order number, later date."""
    n_returns = round(_RETURN_SHARE * len(orders))
    picked = orders.iloc[np.sort(rng.choice(len(orders), n_returns, replace=False))]
    unit_price = picked["金额"] / picked["数量"]
    returned = 1 + np.floor(rng.random(len(picked)) * picked["数量"]).astype("int64")
    latest = (end - pd.Timedelta(seconds=1) - picked["下单时间"]).dt.total_seconds()
    delay = np.minimum(rng.uniform(1, 30, len(picked)) * 86_400, latest * rng.random(len(picked)))
    returns = picked.assign(
        下单时间=(picked["下单时间"] + pd.to_timedelta(np.floor(delay), unit="s")),
        金额=-np.round(returned * unit_price, 2),
        数量=-returned,
        折扣=0.0 - np.round(returned / picked["数量"] * picked["折扣"], 2),  # 0.0, not -0.0
    )
    return pd.concat([orders, returns], ignore_index=True)


def _with_duplicates(rng: np.random.Generator, transactions: pd.DataFrame) -> pd.DataFrame:
    """Append exact copies of a few rows and sort by time (copies end up next to originals)."""
    n_copies = round(_DUPLICATE_SHARE * len(transactions))
    copies = transactions.iloc[rng.choice(len(transactions), n_copies, replace=False)]
    return pd.concat([transactions, copies]).sort_values(
        ["下单时间", "订单号", "金额"],
        ascending=[True, True, False],
        ignore_index=True,
        kind="stable",
    )


def _first_contact(
    rng: np.random.Generator, master: pd.DataFrame, orders: pd.DataFrame, end: pd.Timestamp
) -> pd.Series:
    """First contact: some weeks to months before the first purchase, or recent for prospects."""
    first_purchase = orders.groupby("客户编号")["下单时间"].min()
    reference = master["客户编号"].map(first_purchase).fillna(end)
    lead_days = np.where(
        master["客户编号"].isin(first_purchase.index),
        1 + rng.exponential(120, len(master)),
        1 + rng.exponential(150, len(master)),
    )
    return (reference - pd.to_timedelta(np.floor(lead_days), unit="D")).dt.normalize()
