// Juicebox web chat: sends lines to /api/send and draws the events streamed back (server-sent events over
// fetch). Charts arrive as SVG drawn by the server; nothing is loaded from anywhere else.
"use strict";

const log = document.getElementById("log");
const input = document.getElementById("input");
const working = document.getElementById("working");
let queue = Promise.resolve();
let streamBox = null; // the block streamed text goes into, until another kind of event comes

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") node.className = v; else node.setAttribute(k, v);
  }
  for (const c of children) {
    if (c == null) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

function scrollDown() { log.scrollTop = log.scrollHeight; }

function add(node) { log.append(node); scrollDown(); return node; }

function table(columns, rows, cellClass) {
  const head = el("tr", {}, ...columns.map((c) => el("th", {}, c)));
  const body = rows.map((r) => el("tr", {}, ...r.map((c, i) => el("td", cellClass && cellClass[i] ? { class: cellClass[i] } : {}, c))));
  return el("table", {}, el("thead", {}, head), el("tbody", {}, ...body));
}

function svgBox(svgs) {
  const box = el("div", { class: "charts" });
  box.innerHTML = svgs.join(""); // drawn and escaped by the server (agent/web/charts.py)
  return box;
}

function fmtArgs(args) {
  const parts = Object.entries(args || {}).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return parts.length ? parts.join(", ") : "(defaults)";
}

function retireDecisions(label) {
  // only the newest pending plan keeps its buttons: older ones say what became of them
  for (const box of log.querySelectorAll(".actions.open")) {
    box.classList.remove("open");
    box.replaceChildren(el("span", { class: "muted" }, label));
  }
}

function renderPlan(ev) {
  const p = ev.payload || {};
  const steps = (p.recipe && p.recipe.process) || [];
  const why = p.justifications || [];
  const rows = steps.map((s, i) => {
    const [name, args] = typeof s === "object" ? Object.entries(s)[0] : [String(s), {}];
    return [i + 1, name, fmtArgs(args), why[i] || ""];
  });
  retireDecisions("replaced by a newer plan");
  const box = el("div", { class: "msg plan" },
    el("h4", {}, `Plan (${p.planner || "?"})`),
    table(["#", "operator", "arguments", "why"], rows, [null, null, "args", null]));
  if (p.pending) {
    const approve = el("button", { type: "button", class: "primary" }, "Approve");
    const reject = el("button", { type: "button" }, "Reject");
    const actions = el("div", { class: "actions open" }, approve, reject,
      el("span", { class: "muted" }, "or type a change to revise the plan"));
    approve.addEventListener("click", () => { retireDecisions("started"); send("/approve", "✓ go ahead"); });
    reject.addEventListener("click", () => { retireDecisions("rejected"); send("reject", "✗ drop the plan"); });
    box.append(actions);
  }
  return box;
}

function renderRun(ev) {
  const s = ev.summary || {};
  retireDecisions("ran");
  const perOp = (s.per_op || []).map((o) => [o.op, o.in, o.removed]);
  const box = el("div", { class: "msg result" },
    el("div", { class: "kept" }, `Result: kept ${s.num_out} of ${s.num_in} samples (${(100 * (s.kept_ratio || 0)).toFixed(1)}%)`),
    el("div", {}, ev.text),
    table(["operator", "in", "removed"], perOp),
    svgBox(ev.charts || []));
  return box;
}

function render(ev) {
  const p = ev.payload || {};
  if (ev.kind === "text" && p.stream) {
    if (!streamBox) streamBox = add(el("div", { class: "msg stream" }));
    streamBox.append(document.createTextNode(ev.text));
    scrollDown();
    return;
  }
  streamBox = null;
  let node;
  if (ev.kind === "plan") node = renderPlan(ev);
  else if (ev.kind === "run_result") node = renderRun(ev);
  else if (ev.kind === "table") {
    node = el("div", { class: "msg table" }, ev.text ? el("div", {}, ev.text) : null,
      p.title ? el("h4", {}, p.title) : null, table(p.columns || [], p.rows || []));
  } else if (ev.kind === "histogram") {
    node = el("div", { class: "msg histogram" }, svgBox([ev.svg || ""]));
  } else if (ev.kind === "text" && p.yaml) {
    node = el("div", { class: "msg" }, el("pre", {}, p.yaml));
  } else {
    node = el("div", { class: `msg ${ev.kind}` }, ev.text);
  }
  add(node);
}

async function readEvents(resp) {
  const reader = resp.body.getReader();
  const decoder = new TextDecoder();
  let buf = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += decoder.decode(value, { stream: true });
    let cut;
    while ((cut = buf.indexOf("\n\n")) >= 0) {
      const block = buf.slice(0, cut);
      buf = buf.slice(cut + 2);
      const kind = (block.match(/^event: (.*)$/m) || [])[1];
      const data = block.split("\n").filter((l) => l.startsWith("data: ")).map((l) => l.slice(6)).join("\n");
      if (kind === "end" || !data) continue;
      render(JSON.parse(data));
    }
  }
}

function send(text, label) {
  add(el("div", { class: "msg user" }, label || text));
  queue = queue.then(() => turn(text));
  return queue;
}

async function turn(text) {
  const started = Date.now();
  working.hidden = false;
  const tick = () => { working.textContent = `working… ${Math.round((Date.now() - started) / 1000)} s`; };
  tick();
  const timer = setInterval(tick, 1000);
  try {
    const resp = await fetch("/api/send", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ text }),
    });
    if (!resp.ok) {
      const body = await resp.json().catch(() => ({}));
      render({ kind: "error", text: body.detail ? JSON.stringify(body.detail) : `HTTP ${resp.status}` });
    } else {
      await readEvents(resp);
    }
  } catch (err) {
    render({ kind: "error", text: `The server did not answer: ${err}` });
  } finally {
    streamBox = null;
    clearInterval(timer);
    working.hidden = true;
    showSession().catch(() => {}); // /new or /data may have changed the session line
  }
}

document.getElementById("composer").addEventListener("submit", (e) => {
  e.preventDefault();
  const text = input.value.trim();
  if (!text) return;
  input.value = "";
  send(text);
});

input.addEventListener("keydown", (e) => {
  if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
    e.preventDefault();
    document.getElementById("composer").requestSubmit();
  }
});

document.getElementById("download").addEventListener("click", async (e) => {
  // the current recipe as a file; before there is one, say so instead of a failed download
  e.preventDefault();
  const resp = await fetch("/api/recipe.yaml");
  if (!resp.ok) {
    const body = await resp.json().catch(() => ({}));
    render({ kind: "notice", text: body.detail || `No recipe to download (HTTP ${resp.status}).` });
    return;
  }
  const name = ((resp.headers.get("Content-Disposition") || "").match(/filename="([^"]+)"/) || [])[1] || "recipe.yaml";
  const url = URL.createObjectURL(await resp.blob());
  const a = el("a", { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
});

async function showSession() {
  const info = await (await fetch("/api/session")).json();
  const data = info.data_path ? ` · data ${info.data_path}` : "";
  document.getElementById("session").textContent =
    `session ${info.session} · ${info.planner}${data}${info.ready ? "" : ` · ${info.status}…`}`;
  if (!info.ready) setTimeout(showSession, 1000);
}

window.addEventListener("load", () => {
  showSession().catch(() => {});
  queue = queue.then(async () => {
    const events = await (await fetch("/api/opening")).json();
    events.forEach(render);
  }).catch((err) => render({ kind: "error", text: `Could not open the session: ${err}` }));
});
