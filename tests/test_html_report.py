"""report.html of ``grade batch``: the same numbers as the gradebook, a chart
per exercise, the checks most often failed, a section per student with the
diffs; and rendered by headless Chromium into a page that is not blank
(skipped where Chromium is not installed)."""

from __future__ import annotations

import csv
import io
import re
import shutil
import struct
import subprocess
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest

from batchkit import example_class_out
from conftest import ROOT
from grader import classio
from grader.report.html import inline_code, render_html


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        out, outcome = example_class_out(tmp_path_factory.getbasetemp())
    assert outcome.code == 0
    return out


class _Tables(HTMLParser):
    """The text of every table cell, and every id, of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.ids: list[str] = []
        self.svgs = 0
        self._table: str | None = None
        self._cell: list[str] | None = None
        self._in_small = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "table":
            self._table = attrs.get("class", "table")
            self.tables[self._table] = []
        elif tag == "tr" and self._table:
            self.tables[self._table].append([])
        elif tag in ("td", "th") and self._table:
            self._cell = []
        elif tag == "small":
            self._in_small = True
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")
        elif tag == "svg":
            self.svgs += 1

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.tables[self._table][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "table":
            self._table = None
        elif tag == "small":
            self._in_small = False

    def handle_data(self, data):
        if self._cell is not None and not self._in_small:
            self._cell.append(data)


def _parse(out: Path) -> _Tables:
    page = _Tables()
    page.feed((out / "report.html").read_text(encoding="utf-8"))
    return page


def test_the_gradebook_table_shows_the_gradebook_csv(example):
    page = _parse(example)
    rows = list(csv.reader(io.StringIO((example / "gradebook.csv").read_text(encoding="utf-8-sig"))))
    assert page.tables["gradebook"] == rows


def test_a_chart_per_exercise_and_a_section_per_student(example):
    page = _parse(example)
    assert page.svgs == 4
    for student in ("alice", "bob", "carol", "dave", "erin", "frank"):
        assert f"student-{student}" in page.ids


def test_the_checks_most_often_failed_come_first(example):
    rows = _parse(example).tables["table"][1:]
    assert rows[0][:3] == ["methods-405", "get-login-not-allowed GET /login/ gets 405 with "
                           "Allow listing POST and DELETE", "3/4"]
    assert rows[0][3] == "bob, carol, frank"


def test_a_student_section_shows_what_was_sent_answered_and_the_hint(example):
    html = (example / "report.html").read_text(encoding="utf-8")
    carol = html[html.index('id="student-carol"'):html.index('id="student-dave"')]
    assert "POST /logincookie/  form: name=Tom" in carol
    assert "status code: expected 302 Found, got 301 Moved Permanently" in carol
    assert "reference answered" in carol and "301 Moved Permanently" in carol
    assert "<code>redirect()</code>" in carol  # the hint's `code` as code


def _one_failed_step(finding, submission):
    """A class of one student with one failed step, and its report."""
    from grader.classroom import ClassResult, Entry, ExerciseInfo, StudentRow
    from grader.http import Request, Response
    from grader.results import CheckResult, GradeResult, StepReport
    from grader.spec import Text

    title = Text(zh="演示", en="Demo")
    step = StepReport(0, None, Request("GET", "/x/"), Response(200, body=b"a"), submission,
                      (finding,))
    result = GradeResult("demo", title, "s/demo.py",
                         (CheckResult("c", 1, "failed", Text(zh="h", en="use `x`"), None,
                                      (step,)),))
    model = ClassResult("class", (ExerciseInfo("demo", title, 1, "demo.py", (("c", None),)),),
                        (StudentRow("s", (Entry("s", "demo", "graded", result),)),))
    return render_html(model, "en")


def test_a_body_diff_is_shown_line_by_line():
    from grader.http import Response
    from grader.results import Finding, Msg

    finding = Finding(Msg("body", {"how": "text"}), "a", "b",
                      diff="@@ -1 +1 @@\n-<b>a</b>\n+<b>b</b>")
    html = _one_failed_step(finding, Response(200, body=b"b"))
    assert '<span class="del">-&lt;b&gt;a&lt;/b&gt;</span>' in html  # escaped, one line each
    assert '<span class="add">+&lt;b&gt;b&lt;/b&gt;</span>' in html


def test_what_the_submission_printed_is_shown_escaped():
    from grader.http import Response
    from grader.results import Finding, Msg

    finding = Finding(Msg("body", {"how": "text"}), "a", "b")
    html = _one_failed_step(finding, Response(200, body=b"b", printed="<b>money</b> 41\n"))
    assert ('submission printed</div><pre class="trace">&lt;b&gt;money&lt;/b&gt; 41\n</pre>'
            in html)


def test_inline_code_escapes_first():
    assert str(inline_code("use `<b>` not <i>")) == "use <code>&lt;b&gt;</code> not &lt;i&gt;"
    # hints write **bold** as Markdown does; inside code it stays as written
    assert str(inline_code("**inside** `a**b**c` <x>")) == \
        "<strong>inside</strong> <code>a**b**c</code> &lt;x&gt;"


def test_the_report_renders_the_same_model_in_chinese(example):
    result = classio.loads((example / "results.json").read_text(encoding="utf-8"))
    html = render_html(result, "zh")
    assert "状态码：应为 302 Found；实际：301 Moved Permanently" in html
    assert "Cookies: remember who logged in" not in html
    # the page's own words too, not only the findings
    page = _Tables()
    page.feed(html)
    assert page.tables["gradebook"][0][0] == "学生"
    assert "未提交" in page.tables["gradebook"][2]  # bob handed in no uuid-generate
    for heading in ("班级报告", "成绩表", "分数分布", "最常失败的检查", "参考答案的回答"):
        assert heading in html
    for english in ("Class report", "Gradebook", "Score distribution", "reference answered",
                    "did not load", " pts<"):
        assert english not in html


# -- in a real browser ---------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _png_pixels(path: Path) -> tuple[int, int, bytes]:
    """Width, height and the raw (still filtered) scanlines of a PNG."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, width, height, chunks = 8, 0, 0, []
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height = struct.unpack(">II", body[:8])
        elif kind == b"IDAT":
            chunks.append(body)
        pos += 12 + length
    return width, height, zlib.decompress(b"".join(chunks))


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed "
                                              "(apt-get install chromium)")
def test_chromium_renders_the_report(example, tmp_path):
    shot = tmp_path / "report.png"
    profile = tmp_path / "profile"
    done = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={profile}", f"--screenshot={shot}",
         "--window-size=1280,2000", (example / "report.html").resolve().as_uri()],
        capture_output=True, text=True, timeout=120)
    assert shot.is_file(), done.stderr[-2000:]
    width, height, pixels = _png_pixels(shot)
    assert (width, height) == (1280, 2000)
    # a blank page is a few byte values; a page of tables, charts and text is many
    assert len(set(pixels)) > 64


def test_students_with_chinese_names_get_links_of_their_own():
    from grader.classroom import ClassResult, Entry, ExerciseInfo, StudentRow
    from grader.spec import Text

    names = ("张三", "李四", "王五")
    title = Text(zh="演示", en="Demo")
    model = ClassResult("class", (ExerciseInfo("demo", title, 1, "demo.py", ()),),
                        tuple(StudentRow(n, (Entry(n, "demo", "not_submitted"),)) for n in names))
    html = render_html(model, "zh")
    ids = re.findall(r'id="(student-[^"]*)"', html)
    assert len(ids) == len(set(ids)) == 3
    for target in ids:  # every link leads to its own student
        assert f'href="#{target}"' in html
