"""How long `kg.lexicon.regions.find` takes on a report-sized text (target: well under 0.5 s).

Run: python benchmarks/bench_regions.py [CHARS]   (default 50000; kg installed or PYTHONPATH=.)

The text is a paragraph written for the benchmark, dense with place names, short forms and
ordinary words that collide with them, repeated to the wanted length.
"""

from __future__ import annotations

import sys
import time

from kg.lexicon.regions import find

PARAGRAPH = (
    "本年度学校深化校企合作，与长安汽车、新华书店等企业共建实训基地；对口帮扶内蒙古兴安盟突泉县、"
    "察右前旗和新疆和田地区的职业学校，选派教师赴河北省沧州市肃宁县支教，并接待四川凉山彝族自治州"
    "学生来京学习。学校位于北京市朝阳区，毕业生主要在京津冀地区和长三角城市群就业，城关镇、和平街道"
    "的社区培训项目覆盖居民两千余人次。\n"
)


def main() -> None:
    chars = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    text = (PARAGRAPH * (chars // len(PARAGRAPH) + 1))[:chars]

    started = time.perf_counter()
    find("")  # builds the lexicon, once
    print(f"lexicon built in {time.perf_counter() - started:.3f} s", file=sys.stderr)

    runs = []
    for _ in range(5):
        started = time.perf_counter()
        matches = find(text)
        runs.append(time.perf_counter() - started)
    print(f"find: {len(text)} characters, {len(matches)} matches, best of 5 {min(runs):.3f} s")


if __name__ == "__main__":
    main()
