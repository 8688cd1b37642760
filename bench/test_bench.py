"""Tests of bench.py's report writing: `--only` runs keep the other sections' figures.

Run: `python3 -m unittest discover -s bench -p 'test_*.py'` (bench/run.sh --short runs it).
Only the standard library is needed (no emulator, no build): the report is written from
made-up figures into a temp folder.
"""
from __future__ import annotations

import pathlib
import sys
import tempfile
import unittest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import bench  # noqa: E402


def health(wall_s: float) -> dict:
    """Figures of the health section: dsjwt, the Python SDK and the Node SDK."""
    return {name: {"wall": [wall_s * k], "rss": [13_000 * k], "calls": [2]}
            for name, k in (("dsjwt check", 1), ("Python SDK", 30), ("Node SDK", 31))}


def token_processes(wall_s: float) -> dict:
    row = lambda cmd, tokens: {"command": cmd, "runs": 3, "token_requests": tokens, "rest_calls": 3, "wall": [wall_s]}
    return {"cached": row("dsjwt action list-templates", 1), "uncached": row("dsjwt action list-templates --no-token-cache", 3)}


def run(path: pathlib.Path, command: str, date: str, only: set[str] | None, figures: dict,
        versions: dict | None = None) -> str:
    """Writes the report as bench.main does after a run of `only` (None: every section)."""
    ran = set(bench.SECTIONS) if only is None else only
    ctx = {"short": False, "command": command, "failures": [], "summary": [], "health_runs": 1,
           "download_runs": 1, "app_idle": 10.0, "load_start": "0.5 0.5 0.5", "load_end": "0.6 0.6 0.6",
           "plots_dir": str(path.parent / "benchmarks"), "date": date, "elapsed": 12.0,
           "machine": {"cpu": "test CPU", "nproc": 2, "memory": "1 GiB", "os": "test OS", "kernel": "6"},
           "versions": versions or {}, "ran": ran, "only_arg": ",".join(sorted(only)) if only else None}
    for key in bench.SECTIONS:
        if key not in ran:
            ctx[key] = f"this page was made with `--only {ctx['only_arg']}` and had no earlier figures for this part"
        else:
            ctx[key] = figures.get(key, f"{key} broke")
            if key not in figures:
                ctx["failures"].append(f"{key}: broke")
    bench.summarize(ctx)
    bench.write_report(path, "benchmarks", ctx)
    return path.read_text()


class OnlyMerges(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.path = pathlib.Path(self.tmp.name) / "benchmarks.md"

    def tearDown(self):
        self.tmp.cleanup()

    def test_only_keeps_the_other_sections_figures(self):
        full = run(self.path, "bash bench/run.sh", "2026-11-01 10:00 UTC", None,
                   {"health": health(0.0111), "token_processes": token_processes(0.0421)})
        self.assertIn("| dsjwt check | 11.1 |", full)
        self.assertIn("Every figure below comes from that one run", full)
        self.assertNotIn("*This part: made by", full)

        part = run(self.path, "bench.py --only token_processes", "2026-11-02 11:00 UTC", {"token_processes"},
                   {"token_processes": token_processes(0.0777)})
        # the section that ran has the new figures, the others the old ones, not "not run"
        self.assertIn("| 3 | **1** | 3 | 77.7 |", part)
        self.assertNotIn("42.1", part)
        self.assertIn("| dsjwt check | 11.1 |", part)
        self.assertNotIn("Not run", part)
        self.assertNotIn("not run", part)
        # the summary keeps the old health line and has the new token line, in section order
        summary = part.split("## Summary\n\n", 1)[1].split("\n\n", 1)[0].split("\n")
        self.assertTrue(summary[0].startswith("- Health check, cold process: dsjwt 11.1 ms"), summary)
        self.assertTrue(any("(77.7 ms per process" in s for s in summary), summary)
        # each part says what made it
        self.assertIn("This run measured only token_processes (`--only token_processes`)", part)
        health_part = part.split("## 1. Health check, cold process", 1)[1]
        self.assertTrue(health_part.lstrip("\n").split("\n", 2)[1].startswith(
            "*This part: made by `bash bench/run.sh`, 2026-11-01 10:00 UTC.*"), health_part[:300])
        self.assertIn("*This part: made by `bench.py --only token_processes`, 2026-11-02 11:00 UTC.*", part)

        again = run(self.path, "bench.py --only health", "2026-11-03 12:00 UTC", {"health"}, {"health": health(0.0222)})
        self.assertIn("| dsjwt check | 22.2 |", again)
        self.assertIn("| 3 | **1** | 3 | 77.7 |", again)
        self.assertEqual(again.count("*This part: made by `bench.py --only token_processes`"), 1)
        self.assertNotIn("\n\n\n", again)
        # the failed sections of the first run are kept as they were (they are that run's result)
        self.assertEqual(again.count("FAILED: polling broke"), 1)

        full2 = run(self.path, "bash bench/run.sh", "2026-11-04 13:00 UTC", None,
                    {"health": health(0.0333), "token_processes": token_processes(0.0444)})
        self.assertNotIn("*This part: made by", full2)
        self.assertNotIn("| dsjwt check | 22.2 |", full2)  # the health row (the kept sections may hold "222.2")
        self.assertIn("Every figure below comes from that one run", full2)

    def test_only_keeps_versions_it_could_not_read(self):
        run(self.path, "bash bench/run.sh", "2026-11-01 10:00 UTC", None, {"health": health(0.0111)},
            versions={"dsjwt": "dsjwt 0.1.0 (target/release)", "docusign-esign (npm)": "10.0.0", "node": "v20"})
        part = run(self.path, "bench.py --only app", "2026-11-02 11:00 UTC", {"app"}, {},
                   versions={"dsjwt": "unknown ([Errno 2] No such file)", "docusign-esign (npm)": "not installed",
                             "node": "v22"})
        self.assertIn("| dsjwt | dsjwt 0.1.0 (target/release) |", part)
        self.assertIn("| docusign-esign (npm) | 10.0.0 |", part)
        self.assertIn("| node | v22 |", part)  # what this run read wins
        self.assertNotIn("not installed", part)

    def test_only_on_a_new_page_says_not_run(self):
        text = run(self.path, "bench.py --only health", "2026-11-02 11:00 UTC", {"health"}, {"health": health(0.0111)})
        self.assertIn("| dsjwt check | 11.1 |", text)
        self.assertIn("Not run: this page was made with `--only health` and had no earlier figures for this part.", text)
        self.assertNotIn("FAILED", text)

    def test_only_keeps_the_figures_of_a_page_without_part_marks(self):
        # the page as bench.py wrote it before the parts were marked (docs/benchmarks.md up to issue 14)
        run(self.path, "bash bench/run.sh", "2026-11-01 10:00 UTC", None,
            {"health": health(0.0111), "token_processes": token_processes(0.0421)})
        legacy = bench.re.sub(r"^<!-- bench:.*-->\n\n?", "", self.path.read_text(), flags=bench.re.M)
        legacy = legacy.replace(" <!-- bench:health -->", "").replace(" <!-- bench:token_processes -->", "")
        self.assertNotIn("<!-- bench:", legacy)
        self.path.write_text(legacy)
        part = run(self.path, "bench.py --only token", "2026-11-02 11:00 UTC", {"token"}, {})
        self.assertIn("| dsjwt check | 11.1 |", part)
        self.assertIn("| 3 | **1** | 3 | 42.1 |", part)
        self.assertIn("*This part: made by `bash bench/run.sh`, 2026-11-01 10:00 UTC.*", part)
        self.assertEqual(part.count("**Across processes.**"), 1)
        self.assertEqual(part.count("FAILED: token broke"), 1)  # this run's result for the section it ran
        self.assertIn("- Health check, cold process: dsjwt 11.1 ms", part)
        self.assertIn("(42.1 ms per process", part)

    def test_sections_kept_by_run_sh_stay(self):
        self.path.write_text("# old\n\n" + bench.KEPT_BEGIN + "\n## Release build\n\nhand-made figures\n" + bench.KEPT_END + "\n")
        text = run(self.path, "bench.py --only health", "2026-11-02 11:00 UTC", {"health"}, {"health": health(0.0111)})
        self.assertIn("hand-made figures", text)
        self.assertEqual(text.count(bench.KEPT_BEGIN), 1)



class OneLine(unittest.TestCase):
    """A launch's error goes into one table cell (it once broke the app table over 5 lines)."""

    def test_joins_lines_and_escapes_bars(self):
        err = "the app exited with 101: a\n\nthread 'main' panicked at x.rs:1:2:\nFailed | GTK"
        self.assertEqual(bench.one_line(err),
                         "the app exited with 101: a thread 'main' panicked at x.rs:1:2: Failed \\| GTK")

    def test_cuts_long_errors(self):
        self.assertEqual(len(bench.one_line("x" * 1000)), 300)


class TemplateCheck(unittest.TestCase):
    """Regression (CI of 4999913): the template filter's start-up check became a GET of the
    account's template list, and the polling comparison counted it as a stray call."""

    def test_the_template_list_is_the_start_up_check(self):
        q = lambda method, path: {"method": method, "path": path}
        acct = "/restapi/v2.1/accounts/e91a82d0-a1d2-481b-871c-cccf0a6535f4"
        self.assertTrue(bench.is_template_check(q("GET", f"{acct}/templates")))
        self.assertTrue(bench.is_template_check(q("GET", f"{acct}/templates?start_position=100")))
        self.assertFalse(bench.is_template_check(q("GET", f"{acct}/envelopes")))
        self.assertFalse(bench.is_template_check(q("POST", f"{acct}/templates")))
        self.assertFalse(bench.is_template_check(q("GET", f"{acct}/templates/abc/recipients")))


if __name__ == "__main__":
    unittest.main()
