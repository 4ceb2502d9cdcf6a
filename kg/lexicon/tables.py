"""What the column headers of report tables mean.

Reports tabulate majors with their employment figures, employers, partner enterprises and
trainers; the header of a column says which class its cells belong to, whatever the row says.
"""

from __future__ import annotations

import re

#: Header words by the entity class of the cells under them (matched after removing spaces).
COLUMN_CLASSES: dict[str, tuple[str, ...]] = {
    "Major": ("专业", "专业名称", "专业名", "开设专业", "专业（方向）", "专业(方向)", "专业方向", "招生专业"),
    "Enterprise": (
        "就业单位", "合作企业", "企业名称", "企业", "用人单位", "实习单位", "合作单位",
        "主要就业单位", "主要合作企业", "实习企业", "订单企业", "签约企业", "合作企业名称",
    ),
    "School": ("院校名称", "学校名称", "学校", "院校", "帮扶学校", "结对学校", "合作院校", "受援学校"),
    "Expert": ("姓名", "专家", "专家姓名", "讲师", "培训专家", "主讲人", "主讲专家", "导师"),
}

_OTHER_HEADERS = (
    "序号", "项目", "类别", "年度", "指标", "单位", "人数", "内容", "数量", "比率", "备注", "合计",
    "就业率", "对口就业率", "初次就业起薪", "毕业生人数", "就业人数", "就业情况", "结构与规模",
    "项目名称", "时间", "地点", "形式", "证书名称", "等级", "职称", "职务", "工作单位", "合作内容",
    "合作形式", "级别", "名次", "获奖", "奖项", "在校生", "招生", "毕业生", "小计",
)

_HEADER_WORDS = {w for words in COLUMN_CLASSES.values() for w in words} | set(_OTHER_HEADERS)
_YEAR = re.compile(r"^(19|20)\d{2}\s*年?(度)?$")


def column_class(header: str) -> str | None:
    """The entity class of a column with this header, if any."""
    key = re.sub(r"\s+", "", header)
    for cls, words in COLUMN_CLASSES.items():
        if key in words:
            return cls
    return None


def is_header_cell(text: str) -> bool:
    key = re.sub(r"\s+", "", text)
    return key in _HEADER_WORDS or bool(_YEAR.match(key))
