"""The CLI summaries say what the findings document says: checked, failed, not inspected, one pass rate."""

import io
from datetime import date

from rich.console import Console

from monitor.cli.inspect import print_summary
from monitor.judge.engine import not_inspected_site
from monitor.model.document import findings_document
from monitor.model.period import Period
from monitor.registry.model import Site

SITE = Site(id="1403000001", name="阳泉市城区人民政府", url="http://127.0.0.1:1/", owner="城区")


def test_the_inspect_summary_counts_not_inspected_sites_apart_and_rates_only_checked_ones() -> None:
    sites = [{"id": f"14030000{i:02d}", "name": f"站{i}", "verdict": "pass", "reason": "合格"} for i in range(10, 19)]
    sites.append({"id": "1403000020", "name": "不合格站", "verdict": "fail", "reason": "不合格：单项否决——首页2周未更新"})
    sites.append(not_inspected_site(SITE, "home_blocked"))
    document = findings_document(Period.for_as_of(date(2021, 8, 31)), sites, [])
    out = Console(file=io.StringIO(), width=160, record=True)
    print_summary(document, out)
    text = out.export_text()
    assert document["summary"]["sites_pass_rate"] == 90.0
    row = next(line for line in text.splitlines() if "政府网站" in line)
    assert [cell for cell in row.replace("│", " ").split()][-5:] == ["11", "10", "1", "1", "90.0%"]
    assert "未能完成检查" in text and "阳泉市城区人民政府" in text and "首页访问被防火墙或访问限制拦截" in text
    assert "不合格站" in text
