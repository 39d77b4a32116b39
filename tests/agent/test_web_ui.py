"""`juicebox ui`: the SVG charts; the app's turns as server-sent events with an LLM endpoint; one session
moving browser -> terminal -> browser; and the acceptance walk-through in headless Chromium (Debian's
`chromium`, driven by Playwright): goal -> plan table -> Approve -> "kept" with a chart -> a question
answered with the count -> the recipe downloaded as YAML and run by `juicebox run`."""
from __future__ import annotations

import functools
import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from agent.conversation import Conversation, list_sessions
from agent.llm import LLMConfig
from agent.web import charts
from tests.agent.chat_data import write_mini
from tests.agent.scripted_openai_server import ScriptedOpenAIServer

GOAL = "drop texts shorter than 20 characters"  # one op: these tests are about the page, not the planner
ROOT = Path(__file__).resolve().parents[2]


# -- charts -----------------------------------------------------------------------------------------
def test_bar_chart_draws_one_scaled_bar_per_item_and_escapes_labels():
    svg = charts.bar_chart([("text_length_filter", 6), ("<dedup & co>", 2), ("none", 0)], "removed per op")
    widths = [float(w) for w in re.findall(r'<rect class="bar" x="[\d.]+" y="[\d.]+" width="([\d.]+)"', svg)]
    assert len(widths) == 3 and widths[0] == pytest.approx(3 * widths[1], abs=0.2) and widths[2] == 0
    assert "&lt;dedup &amp; co&gt;" in svg and "<dedup" not in svg
    assert charts.bar_chart([], "empty") == ""


def test_bins_and_histogram():
    bins = charts.bins_of([0, 1, 2, 3, 4, 5, 6, 7, 8, 10, float("nan"), "x", None], n_bins=5)
    assert [b["count"] for b in bins] == [2, 2, 2, 2, 2] and bins[0]["low"] == 0 and bins[-1]["high"] == 10
    assert charts.bins_of([3, 3]) == [{"low": 3.0, "high": 3.0, "count": 2}]
    svg = charts.histogram(bins, "text_len")
    heights = [float(h) for h in re.findall(r'<rect class="bar"[^>]* height="([\d.]+)"', svg)]
    assert len(heights) == 5 and len(set(heights)) == 1 and heights[0] > 0


def test_perplexity_chart_per_iteration_and_arm():
    assert charts.perplexity_chart([{"iteration": 0, "num_in": 3}]) == ""
    arm = lambda m: {"mean": m, "std": 1.0}  # noqa: E731
    runs = [{"iteration": 0, "experiment": {"refined": arm(40.0), "random_equal_size": arm(50.0), "full_data": arm(45.0)}},
            {"iteration": 1, "experiment": {"refined": arm(20.0), "random_equal_size": arm(50.0)}}]
    svg = charts.perplexity_chart(runs)
    bars = re.findall(r'<rect class="bar"[^>]* height="([\d.]+)"[^>]*><title>(iteration \d) (\w+): ([\d.]+)', svg)
    assert [(it, a, float(m)) for _, it, a, m in bars] == [
        ("iteration 1", "refined", 40.0), ("iteration 1", "random", 50.0), ("iteration 1", "full", 45.0),
        ("iteration 2", "refined", 20.0), ("iteration 2", "random", 50.0)]
    assert float(bars[3][0]) == pytest.approx(float(bars[0][0]) / 2, abs=0.1)


def test_stats_histograms_over_the_head_of_large_data(tmp_path, monkeypatch):
    from agent.web import chat

    data = write_mini(tmp_path / "mini.jsonl")
    recipe = {"process": [{"text_length_filter": {"min_len": 20, "max_len": 70}}, {"words_num_filter": {"min_num": 3}},
                          {"document_deduplicator": {}}]}
    vals = {"data_path": str(data), "runs": [{"num_in": 40, "recipe": recipe, "run_dir": str(tmp_path / "run")}]}
    monkeypatch.setattr(chat, "STATS_SAMPLES", 10)
    hist = chat.stats_events(vals)
    assert [h["payload"]["stat"] for h in hist] == ["text_len", "num_words"]
    assert all(sum(b["count"] for b in h["payload"]["bins"]) == 10 for h in hist)
    assert "over the first 10 of 40 input samples" in hist[0]["payload"]["title"]
    assert hist[0]["payload"]["marks"] == {"min_len": 20, "max_len": 70} and hist[1]["payload"]["marks"] == {"min_num": 3}
    assert (tmp_path / "run" / "analysis" / "overall.csv").is_file()


# -- the app, in process ----------------------------------------------------------------------------
@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    write_mini(tmp_path / "project" / "data" / "mini.jsonl")
    return tmp_path / "project"


def _client(conv: Conversation, **refine):
    from fastapi.testclient import TestClient

    from agent.web.app import create_app
    from agent.web.chat import WebChat

    return TestClient(create_app(WebChat(conv, **refine)))


def _send(client, text: str) -> list[dict]:
    with client.stream("POST", "/api/send", json={"text": text}) as resp:
        assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/event-stream")
        body = "".join(resp.iter_text())
    blocks = [b for b in body.split("\n\n") if b.strip()]
    assert blocks[-1].startswith("event: end")
    return [json.loads(b[len("data: "):]) for b in blocks[:-1]]


def _kind(events: list[dict], kind: str) -> list[dict]:
    return [e for e in events if e["kind"] == kind]


def test_llm_endpoint_turns_stream_as_events(folder):
    recipe = {"process": [{"text_length_filter": {"min_len": 25}}], "justifications": ["drops texts under 25 characters"]}
    script = [{"content": json.dumps({"needs": ["texts shorter than 20 characters"]})},  # the goal's needs
              {"content": "<tool_call>" + json.dumps({"name": "submit_recipe", "arguments": recipe}) + "</tool_call>"},
              {"content": "Kept 34 of 40 samples; the length filter removed 6."}]
    with ScriptedOpenAIServer(script) as srv:
        llm = LLMConfig(base_url=srv.base_url, api_key="k", model="scripted", max_retries=0)
        conv = Conversation(home=folder.parent / "home", cwd=folder, llm=llm, background=False, warm_index=False,
                            data_path="data/mini.jsonl")
        client = _client(conv)
        assert client.get("/api/session").json()["planner"].startswith("LLM planner (scripted")
        assert client.get("/api/recipe.yaml").status_code == 404
        page = client.get("/")
        assert page.status_code == 200 and "<textarea" in page.text and "Download YAML" in page.text
        assert not re.search(r"(src|href)=\"(https?:)?//", page.text)  # nothing loaded from elsewhere
        assert client.get("/static/app.js").status_code == 200

        plan = _kind(_send(client, "keep only texts with at least 25 characters"), "plan")[0]["payload"]
        assert plan["pending"] and plan["planner"].startswith("LLM planner (scripted")
        assert plan["recipe"]["process"] == [{"text_length_filter": {"min_len": 25}}]
        assert plan["justifications"] == ["drops texts under 25 characters"]

        events = _send(client, "/approve")
        streamed = "".join(e["text"] for e in _kind(events, "text") if e["payload"].get("stream"))
        assert "Kept 34 of 40 samples; the length filter removed 6." in streamed  # the model's answer, streamed
        assert srv.requests[-1].get("stream") is True
        result = _kind(events, "run_result")[0]
        assert "kept 34 of 40" in result["text"] and result["summary"]["num_out"] == 34
        assert result["summary"]["per_op"] == [{"op": "text_length_filter", "in": 40, "removed": 6}]
        assert "<svg" in result["charts"][0] and "samples removed per op" in result["charts"][0]
        hist = _kind(events, "histogram")  # the analyzer's stats of the recipe's filters
        assert [h["payload"]["stat"] for h in hist] == ["text_len"] and hist[0]["payload"]["marks"] == {"min_len": 25}
        assert "min_len=25" in hist[0]["svg"]
        assert sum(b["count"] for b in hist[0]["payload"]["bins"]) == 40 and "<svg" in hist[0]["svg"]

        assert "Your data has 40 samples" in _send(client, "how many samples are in my data?")[0]["text"]
        assert "数据共有 40 条样本" in _send(client, "数据里有多少条样本？")[0]["text"]
        yaml_resp = client.get("/api/recipe.yaml")
        assert yaml_resp.status_code == 200 and "attachment" in yaml_resp.headers["content-disposition"]
        assert "min_len: 25" in yaml_resp.text
        assert _send(client, "/nonsense")[0]["kind"] == "notice"


def test_a_session_moves_between_browser_and_terminal(folder):
    from rich.console import Console

    from agent.repl import Repl

    home = folder.parent / "home"

    def conv(**kw) -> Conversation:
        return Conversation(home=home, cwd=folder, llm=None, background=False, warm_index=False, **kw)

    browser = _client(conv(session_id="shared", data_path="data/mini.jsonl"))
    assert _kind(_send(browser, GOAL), "plan")[0]["payload"]["pending"]

    # the terminal resumes it: the pending plan is there, /approve runs it
    out = io.StringIO()
    lines = ["/approve", "/quit"]
    repl = Repl(conv(session_id="shared", resume=True), console=Console(file=out, width=200),
                input_fn=lambda _prompt: lines.pop(0))
    repl.loop()
    said = out.getvalue()
    assert "awaits approval" in said and "kept 34 of 40" in said

    # back in a browser: the page opens on the run's result; questions read that run
    again = _client(conv(session_id="shared", resume=True))
    opening = again.get("/api/opening").json()
    assert "resumed" in opening[0]["text"] and _kind(opening, "run_result")[0]["summary"]["num_out"] == 34
    answer = _send(again, "how many were removed by the length filter?")
    assert "text_length_filter removed 6 of the 40 samples" in answer[0]["text"]


def test_served_on_loopback_it_answers_loopback_names_only(folder):
    from fastapi.testclient import TestClient

    from agent.web.app import create_app
    from agent.web.chat import WebChat

    conv = Conversation(home=folder.parent / "home", cwd=folder, llm=None, background=False, warm_index=False)
    app = create_app(WebChat(conv), ["127.0.0.1", "localhost"])
    assert TestClient(app, base_url="http://127.0.0.1:8765").get("/api/session").status_code == 200
    assert TestClient(app, base_url="http://rebound.example:8765").get("/api/session").status_code == 400
    form = TestClient(app, base_url="http://localhost:8765").post("/api/send", content='{"text": "/plan"}',
                                                                  headers={"content-type": "text/plain"})
    assert form.status_code == 422  # a cross-site simple POST is not read


def test_reject_and_feedback_as_plain_messages(folder):
    conv = Conversation(home=folder.parent / "home", cwd=folder, llm=None, background=False, warm_index=False,
                        data_path="data/mini.jsonl")
    client = _client(conv)
    _send(client, "drop texts shorter than 20 characters")
    revised = _kind(_send(client, "also remove exact duplicates"), "plan")[0]["payload"]
    assert revised["pending"] and len(revised["recipe"]["process"]) == 2  # feedback re-plans
    rejected = _kind(_send(client, "reject"), "plan")[0]["payload"]  # what the Reject button sends
    assert not rejected["pending"] and not conv.state().get("runs")
    assert client.get("/static/app.js").text.count('send("reject"') == 1


def test_refine_plots_the_proxy_perplexity_per_iteration(folder):
    conv = Conversation(home=folder.parent / "home", cwd=folder, llm=None, background=False, warm_index=False,
                        data_path="data/mini.jsonl")
    client = _client(conv, refine_iters=2, steps=8, max_blocks=8, seq_len=32)
    assert "Usage: /refine" in _send(client, "/refine")[0]["text"]
    first = _send(client, "/refine --quick drop texts shorter than 20 characters, keep at least 90% of the data")
    assert "1 seed(s), 8 steps" in first[0]["text"] and _kind(first, "plan")[0]["payload"]["pending"]
    assert list_sessions(folder.parent / "home")[0].goal.endswith("keep at least 90% of the data")

    # iteration 1 keeps 85% (< 90%): its result and charts come, then the revised plan waits
    it1 = _send(client, "/approve")
    assert [e["kind"] for e in it1 if e["kind"] in ("run_result", "plan")] == ["run_result", "plan"]
    result = _kind(it1, "run_result")[0]
    assert result["summary"]["num_out"] == 34 and len(result["charts"]) == 2
    ppl = result["charts"][1]
    assert "held-out perplexity" in ppl and re.findall(r"<title>(iteration \d \w+)", ppl) == [
        "iteration 1 refined", "iteration 1 random", "iteration 1 full"]
    revised = _kind(it1, "plan")[0]["payload"]
    assert revised["pending"] and revised["recipe"]["process"][0]["text_length_filter"]["min_len"] < 20

    it2 = _send(client, "/approve")
    runs = _kind(it2, "run_result")[0]["payload"]["runs"]
    assert len(runs) == 2 and runs[1]["num_out"] > 34
    assert len(re.findall(r"<title>iteration 2 ", _kind(it2, "run_result")[0]["charts"][1])) == 3
    # a chat goal afterwards trains nothing
    _send(client, "drop texts shorter than 5 characters")
    assert "experiment" not in _kind(_send(client, "/approve"), "run_result")[0]["payload"]["runs"][-1]


# -- the acceptance walk-through in headless Chromium -----------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "JUICEBOX_"))}
    env.update(JUICEBOX_HOME=str(home), JUICEBOX_PLANNER="builtin", OMP_NUM_THREADS="1", PYTHONIOENCODING="utf-8",
               PYTHONPATH=str(ROOT))
    return env


def _wait_ready(proc: subprocess.Popen, log: Path, timeout: float = 30.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        m = re.search(r"^ready: (http://\S+)$", log.read_text(encoding="utf-8", errors="replace"), re.M)
        if m:
            return m.group(1)
        time.sleep(0.02)
    raise AssertionError("juicebox ui did not say ready:\n" + log.read_text(encoding="utf-8", errors="replace"))


@pytest.mark.timeout(120)
def test_browser_walkthrough(tmp_path):
    playwright = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    browser_bin = shutil.which("chromium")
    if browser_bin is None:
        pytest.skip("Debian's chromium is not installed (`make install` installs it with apt-get as root)")
    folder = tmp_path / "project"
    write_mini(folder / "data" / "mini.jsonl")
    env = _env(tmp_path / "home")
    port = _free_port()
    with playwright.sync_playwright() as pw:
        try:
            browser = pw.chromium.launch(executable_path=browser_bin, headless=True,
                                         args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        except playwright.Error as err:
            pytest.skip(f"{browser_bin} is there but does not start headless here: {str(err)[:300]}")
        page = browser.new_context(accept_downloads=True).new_page()
        log = tmp_path / "ui.log"
        with log.open("w") as out:
            proc = subprocess.Popen([sys.executable, "-m", "agent", "ui", "--port", str(port), "--data",
                                     "data/mini.jsonl"], cwd=folder, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            url = _wait_ready(proc, log)
            ready_at = time.perf_counter()
            assert url == f"http://127.0.0.1:{port}"
            page.goto(url, wait_until="load")
            page.wait_for_function("performance.getEntriesByName('first-contentful-paint').length > 0")
            first_paint = time.perf_counter() - ready_at
            print(f"first paint {first_paint:.2f} s after ready")
            assert first_paint < 2.0, f"first paint {first_paint:.2f} s after ready"
            expect = playwright.expect

            page.get_by_role("link", name="Download YAML").click()  # nothing to download yet: said so
            expect(page.locator("#log")).to_contain_text("No recipe yet: type a goal first.")
            box = page.get_by_role("textbox").first
            box.fill(GOAL)
            box.press("Enter")
            plan = page.locator(".plan table")
            expect(plan).to_contain_text("text_length_filter", timeout=30_000)
            expect(plan).to_contain_text("min_len=20")
            expect(plan.locator("th")).to_have_text(["#", "operator", "arguments", "why"])

            page.get_by_role("button", name="Approve").click()
            result = page.locator(".result")
            expect(result).to_contain_text("kept 34 of 40", timeout=30_000)
            chart = result.locator("svg")
            expect(chart.first).to_be_visible()
            assert chart.first.locator("rect.bar").count() == 1 and "text_length_filter" in chart.first.inner_html()
            expect(page.locator(".histogram svg").first).to_be_visible(timeout=15_000)  # analyzer stats
            expect(page.get_by_role("button", name="Approve")).to_have_count(0)

            box.fill("how many samples are in my data?")
            box.press("Enter")
            expect(page.locator("#log")).to_contain_text("Your data has 40 samples", timeout=15_000)

            with page.expect_download() as download:
                page.get_by_role("link", name="Download YAML").click()
            saved = folder / "downloaded.yaml"
            download.value.save_as(saved)
            assert download.value.suggested_filename.startswith("juicebox-s") and saved.suffix == ".yaml"
        finally:
            browser.close()
            proc.terminate()
            proc.wait(timeout=15)
    assert "text_length_filter" in saved.read_text()
    run = subprocess.run([sys.executable, "-m", "agent", "run", str(saved)], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "40 -> 34" in run.stdout


# -- the command's bad input and host warning (no server started) ----------------------------------
def test_ui_command_bad_input_and_wide_host(folder, monkeypatch):
    from typer.testing import CliRunner

    import agent.cli_web as cli_web
    import agent.conversation as conversation
    from agent.cli import app

    # no loading thread left behind in the test process (the search index is not needed here)
    monkeypatch.setattr(conversation, "Conversation", functools.partial(conversation.Conversation, background=False,
                                                                        warm_index=False))
    monkeypatch.chdir(folder)
    monkeypatch.setenv("JUICEBOX_HOME", str(folder.parent / "home"))
    monkeypatch.setenv("JUICEBOX_PLANNER", "builtin")
    served = []

    def fake_serve(conv, sock):
        served.append((conv, cli_web.url_of(sock)))
        sock.close()

    monkeypatch.setattr(cli_web, "serve", fake_serve)
    runner = CliRunner()

    res = runner.invoke(app, ["ui", "--data", "no/such.jsonl"])
    assert res.exit_code == 2 and "no such file" in res.output
    res = runner.invoke(app, ["ui", "--resume", "never-saved", "--port", "0"])
    assert res.exit_code == 2 and "no saved session named 'never-saved'" in res.output
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        res = runner.invoke(app, ["ui", "--port", str(taken.getsockname()[1])])
    assert res.exit_code == 2 and "cannot serve there" in res.output and "--port" in res.output
    assert not served

    res = runner.invoke(app, ["ui", "--port", "0", "--data", "data/mini.jsonl", "--session", "mine"])
    assert res.exit_code == 0 and "warning" not in res.output
    assert served[-1][0].id == "mine" and re.fullmatch(r"http://127\.0\.0\.1:\d+", served[-1][1])
    res = runner.invoke(app, ["ui", "--port", "0", "--host", "0.0.0.0", "--resume", "last"])
    assert res.exit_code == 0 and "warning: serving on 0.0.0.0" in res.output, res.output
    assert served[-1][0].id == "mine" and served[-1][0].data_path == str(folder / "data" / "mini.jsonl")
