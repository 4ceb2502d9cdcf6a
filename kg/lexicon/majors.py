"""Names from the national catalogue of secondary vocational majors (教育部《职业教育专业目录》).

Reports group majors into the catalogue's categories (专业大类: 装备制造, 财经商贸 …); a category
is not a programme a school offers, so a name that is only a category is not a major.
"""

from __future__ import annotations

#: 专业大类 of the 2021 catalogue and of the 2010 catalogue it replaced.
CATEGORIES = frozenset(
    [
        "农林牧渔", "资源环境与安全", "能源动力与材料", "土木建筑", "水利", "装备制造", "生物与化工",
        "轻工纺织", "食品药品与粮食", "交通运输", "电子与信息", "医药卫生", "财经商贸", "文化艺术",
        "新闻传播", "教育与体育", "公安与司法", "公共管理与服务",
        "资源环境", "能源与新能源", "土木水利", "加工制造", "石油化工", "轻纺食品", "信息技术",
        "财经商务", "休闲保健", "文化艺术", "体育与健身", "教育类", "司法服务", "公共管理与服务",
    ]
)
