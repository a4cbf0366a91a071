// Freshet demo dashboard: polls /api/series and /api/status, draws the charts on <canvas>
// (no libraries, works offline), and looks users up through /api/users/{id}.
"use strict";

const COLORS = ["#2f6fde", "#e0594b", "#1f9d6b", "#8b5cf6", "#d9822b"];

const CHARTS = [
  {
    id: "throughput", title: "Throughput", fmt: num,
    sub: "clicks sent vs recommendations read back vs instances trained, per second (1 s samples); the three lines stay together while the pipeline keeps up",
    series: [
      { key: "clicksPerSec", label: "clicks sent" },
      { key: "recsPerSec", label: "recommendations" },
      { key: "instancesPerSec", label: "instances trained" },
    ],
  },
  {
    id: "loss", title: "Training loss", fmt: dec3, axisFmt: num,
    sub: "the trainer's loss per instance against time, smoothed over about its last 1,250 instances (weighted by instance, from the first batch on); it rises at first while the catalogue grows, since a softmax over more items starts higher",
    series: [{ key: "loss", label: "loss" }],
  },
  {
    id: "recall", title: "Prequential Recall@K: online vs frozen", fmt: dec3, yMin: 0, freezeMarker: true,
    sub: "was the clicked item in the last list the stream app emitted for the user before the click? (the app's own verdict; first clicks not judged; last 2000 judged clicks). Paired: the same clicks against the frozen copy's newest list for the user",
    series: [
      { key: "recallOnline", label: "online, all judged clicks" },
      { key: "recallOnlinePaired", label: "online (paired)" },
      { key: "recallFrozenPaired", label: "frozen (paired)" },
    ],
  },
  {
    id: "latency", title: "Click → recommendation latency", fmt: msFmt, yMin: 0,
    sub: "p50 vs p99 over each second: click sent → its recommendation list read from the topic by a read_committed consumer",
    series: [
      { key: "latP50", label: "p50" },
      { key: "latP99", label: "p99" },
    ],
  },
  {
    id: "freshness", title: "Click → model freshness", fmt: msFmt, yMin: 0,
    sub: "p50 vs p99 over the trainer's last 4,096 instances: training instance written → the snapshot that includes it committed",
    series: [
      { key: "freshP50", label: "p50" },
      { key: "freshP99", label: "p99" },
    ],
  },
];

let data = null;
let status = null;

function num(v) {
  if (v == null) return "–";
  return Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(1);
}
function dec3(v) { return v == null ? "–" : v.toFixed(3); }
function msFmt(v) {
  if (v == null) return "–";
  return v < 1000 ? v.toFixed(0) + " ms" : (v / 1000).toFixed(2) + " s";
}
function clock(t) {
  const m = Math.floor(t / 60), s = Math.floor(t % 60);
  return m + ":" + (s < 10 ? "0" : "") + s;
}
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v; else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}
function lastValue(arr) {
  for (let i = arr.length - 1; i >= 0; i--) if (arr[i] != null) return arr[i];
  return null;
}

function buildCharts() {
  const root = document.getElementById("charts");
  for (const c of CHARTS) {
    const card = el("div", { class: "card chart", id: "chart-" + c.id, "data-points": "0" },
      el("h2", {}, c.title), el("p", { class: "sub" }, c.sub),
      el("div", { class: "legend" }), el("canvas", {}));
    root.append(card);
  }
}

function niceMax(v) {
  if (!(v > 0)) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

function draw(c) {
  const card = document.getElementById("chart-" + c.id);
  const canvas = card.querySelector("canvas");
  const legend = card.querySelector(".legend");
  const t = data ? data.t : [];
  let points = 0;
  legend.replaceChildren();
  c.series.forEach((s, i) => {
    const vals = data ? data[s.key] : [];
    const n = vals.filter((v) => v != null).length;
    points = Math.max(points, n);
    let label = s.label;
    if (c.id === "recall" && s.key === "recallFrozenPaired" && status && status.frozenVersion >= 0) {
      label = "frozen v" + status.frozenVersion + " (paired)";
    }
    legend.append(el("span", { class: "item", "data-key": s.key },
      el("span", { class: "sw", style: "background:" + COLORS[i] }), label + " ",
      el("b", {}, c.fmt(lastValue(vals)))));
  });
  card.setAttribute("data-points", String(points));

  const dpr = window.devicePixelRatio || 1;
  const w = canvas.clientWidth || 400, h = canvas.clientHeight || 190;
  canvas.width = Math.round(w * dpr);
  canvas.height = Math.round(h * dpr);
  const g = canvas.getContext("2d");
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  g.clearRect(0, 0, w, h);
  const L = 58, R = 10, T = 8, B = 22;
  const pw = w - L - R, ph = h - T - B;

  let ymin = Infinity, ymax = -Infinity;
  for (const s of c.series) {
    for (const v of (data ? data[s.key] : [])) {
      if (v != null) { ymin = Math.min(ymin, v); ymax = Math.max(ymax, v); }
    }
  }
  g.font = "11px system-ui, sans-serif";
  g.fillStyle = "#6b7588";
  if (points === 0 || t.length === 0) {
    g.textAlign = "center";
    g.fillText("waiting for data…", L + pw / 2, T + ph / 2);
    return;
  }
  if (c.yMin === 0 || ymin >= 0) ymin = 0;
  ymax = niceMax(ymax - ymin) + ymin;
  const t0 = t[0], t1 = Math.max(t[t.length - 1], t0 + 10);
  const x = (tv) => L + ((tv - t0) / (t1 - t0)) * pw;
  const y = (v) => T + ph - ((v - ymin) / (ymax - ymin)) * ph;

  g.strokeStyle = "#e3e7ee";
  g.lineWidth = 1;
  g.textAlign = "right";
  g.textBaseline = "middle";
  for (let i = 0; i <= 4; i++) {
    const v = ymin + ((ymax - ymin) * i) / 4;
    const yy = Math.round(y(v)) + 0.5;
    g.beginPath(); g.moveTo(L, yy); g.lineTo(L + pw, yy); g.stroke();
    g.fillText((c.axisFmt || c.fmt)(v), L - 6, yy);
  }
  g.textAlign = "center";
  g.textBaseline = "top";
  const span = t1 - t0;
  const step = [5, 10, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600].find((s) => span / s <= 6) || 7200;
  for (let tv = Math.ceil(t0 / step) * step; tv <= t1; tv += step) {
    g.fillText(clock(tv), x(tv), T + ph + 5);
  }

  if (c.freezeMarker && status && status.frozenAtMs != null) {
    const tf = status.frozenAtMs / 1000;
    if (tf >= t0 && tf <= t1) {
      g.save();
      g.setLineDash([4, 4]);
      g.strokeStyle = "#8792a6";
      g.beginPath(); g.moveTo(x(tf), T); g.lineTo(x(tf), T + ph); g.stroke();
      g.restore();
      g.textAlign = "left";
      g.fillText("frozen copy taken", x(tf) + 4, T + 2);
    }
  }

  c.series.forEach((s, i) => {
    const vals = data[s.key];
    g.strokeStyle = COLORS[i];
    g.lineWidth = 1.8;
    g.beginPath();
    let pen = false;
    for (let k = 0; k < vals.length; k++) {
      if (vals[k] == null) { pen = false; continue; }
      const px = x(t[k]), py = y(vals[k]);
      if (pen) g.lineTo(px, py); else g.moveTo(px, py);
      pen = true;
    }
    g.stroke();
  });
}

function chip(k, v) {
  return el("div", { class: "chip" }, el("span", { class: "k" }, k), el("span", { class: "v" }, v));
}

function renderStatus() {
  if (!status) return;
  const chips = document.getElementById("chips");
  const firstModel = status.firstModelRecommendationMs;
  chips.replaceChildren(
    chip("uptime", data && data.t.length ? clock(data.t[data.t.length - 1]) : "0:00"),
    chip("clicks sent", status.clicksSent.toLocaleString("en")),
    chip("recommendations", status.recommendations.toLocaleString("en")),
    chip("served model", status.servedVersion >= 0 ? "v" + status.servedVersion : "popularity"),
    chip("frozen copy", status.frozenVersion >= 0 ? "v" + status.frozenVersion : "pending"),
    chip("first model rec", firstModel == null ? "–" : (firstModel / 1000).toFixed(1) + " s"),
  );
  document.getElementById("footer").textContent =
    "Source: " + status.source + " · rate " + (status.rate > 0 ? status.rate + " clicks/s" : "as fast as possible") +
    " · K=" + status.k + " · model " + status.modelSize + ", feat_appear_limit " + status.featAppearLimit +
    " · Kafka " + status.bootstrapServers + " · query API " + status.streamAppUrl +
    (status.trainerFailed ? " · TRAINER FAILED: " + status.trainerFailed : "");
}

async function refresh() {
  try {
    const [s, st] = await Promise.all([
      fetch("api/series").then((r) => r.json()),
      fetch("api/status").then((r) => r.json()),
    ]);
    data = s;
    status = st;
    renderStatus();
    CHARTS.forEach(draw);
    document.body.setAttribute("data-loaded", "true");
  } catch (e) {
    document.getElementById("footer").textContent = "dashboard: cannot reach the demo (" + e + ")";
  }
}

async function suggest() {
  try {
    const users = await fetch("api/users").then((r) => r.json());
    const box = document.getElementById("suggest");
    box.replaceChildren(el("span", { class: "muted" }, "just clicked:"));
    for (const u of users.slice(0, 8)) {
      const a = el("a", { href: "?user=" + encodeURIComponent(u) }, u);
      a.addEventListener("click", (ev) => { ev.preventDefault(); lookup(u); });
      box.append(a);
    }
  } catch (e) {
    document.getElementById("suggest").textContent = "";
  }
}

// Bar widths in percent that grow with the score within one list: the best item gets the full
// bar. The bars start at 0, or at the list's lowest score when some scores are negative (inner
// products can be), so a more negative score never gets a longer bar.
function barWidths(scores) {
  const hi = Math.max(...scores), lo = Math.min(0, ...scores);
  if (!(hi > lo)) return scores.map(() => 100);
  return scores.map((v) => Math.max(2, (100 * (v - lo)) / (hi - lo)));
}

function scoreTable(items, cls, clicked) {
  if (!items || items.length === 0) return el("p", { class: "muted" }, "none");
  const widths = barWidths(items.map((i) => i.score));
  const table = el("table", { class: cls, "data-count": String(items.length) },
    el("tr", {}, el("th", {}, "#"), el("th", {}, "item"), el("th", {}, "score"), el("th", {}, "")));
  items.forEach((it, i) => {
    const bar = el("span", { style: "width:" + widths[i].toFixed(1) + "%" });
    const tr = el("tr", { class: "rec" + (clicked.has(it.videoId) ? " hit" : "") },
      el("td", {}, i + 1), el("td", {}, it.videoId), el("td", {}, it.score.toFixed(3)), el("td", { class: "bar" }, bar));
    table.append(tr);
  });
  return table;
}

async function lookup(user) {
  user = (user || "").trim();
  if (!user) return;
  document.getElementById("user").value = user;
  const out = document.getElementById("user-result");
  out.replaceChildren(el("p", { class: "muted" }, "looking up " + user + "…"));
  let r;
  try {
    r = await fetch("api/users/" + encodeURIComponent(user)).then((x) => x.json());
  } catch (e) {
    out.replaceChildren(el("p", { class: "error" }, "lookup failed: " + e));
    return;
  }
  const cols = el("div", { class: "cols" });
  const h = r.history || {};
  const clickedCol = el("div", { id: "user-history" }, el("h3", {}, "Recent clicks (newest first)"));
  if (h.error) {
    clickedCol.append(el("p", { class: "error" }, h.error));
  } else {
    const p = el("p", { class: "muted" }, [h.province, h.city, h.phone].map((v) => v || "?").join(" · ") +
      " · " + h.totalClicks + " clicks in total");
    const t = el("table", { class: "history", "data-count": String(h.clicks.length) },
      el("tr", {}, el("th", {}, "item"), el("th", {}, "category"), el("th", {}, "tags"), el("th", {}, "time")));
    for (const c of h.clicks.slice().reverse()) {
      t.append(el("tr", {}, el("td", {}, c.videoId), el("td", {}, c.category || "–"),
        el("td", {}, (c.tags || []).join(", ")), el("td", {}, (c.eventTime || "").substring(11, 19))));
    }
    clickedCol.append(p, t);
  }
  const seen = new Set((h.clicks || []).map((c) => c.videoId));

  const recs = r.recommendations || {};
  const recCol = el("div", { id: "user-recs" });
  if (recs.error) {
    recCol.append(el("h3", {}, "Top-N now"), el("p", { class: "error" }, recs.error));
  } else {
    recCol.append(el("h3", {}, "Top-" + recs.items.length + " now ", el("span", { class: "badge" }, "MODEL v" + recs.modelVersion)),
      scoreTable(recs.items, "recs", new Set()));
  }
  const recvCol = el("div", { id: "user-received" });
  if (r.received) {
    recvCol.append(el("h3", {}, "Last list on the topic ",
      el("span", { class: "badge " + r.received.source }, r.received.source +
        (r.received.modelVersion >= 0 ? " v" + r.received.modelVersion : "")),
      el("span", { class: "muted" }, " " + r.received.latencyMs + " ms after the click")),
      scoreTable(r.received.items, "received", seen));
  } else {
    recvCol.append(el("h3", {}, "Last list on the topic"), el("p", { class: "muted" }, "nothing received yet"));
  }
  const frozenCol = el("div", { id: "user-frozen" });
  frozenCol.append(el("h3", {}, "Frozen copy" + (status && status.frozenVersion >= 0 ? " v" + status.frozenVersion : "")));
  if (r.frozen) frozenCol.append(scoreTable(r.frozen.items, "frozen", seen));
  else frozenCol.append(el("p", { class: "muted" }, "not scored yet (the copy scores users who click after it is frozen)"));
  cols.append(clickedCol, recCol, recvCol, frozenCol);
  out.replaceChildren(cols);
  out.setAttribute("data-user", user);
}

buildCharts();
document.getElementById("lookup").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const u = document.getElementById("user").value;
  history.replaceState(null, "", "?user=" + encodeURIComponent(u.trim()));
  lookup(u);
});
window.addEventListener("resize", () => CHARTS.forEach(draw));
refresh();
suggest();
setInterval(refresh, 2000);
setInterval(suggest, 5000);
const initial = new URLSearchParams(location.search).get("user");
if (initial) lookup(initial);
