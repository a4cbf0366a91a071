// Freshet demo dashboard: polls /api/series and /api/status, draws the charts with the shared
// charts.js (no libraries, works offline), and looks users up through /api/users/{id}.
"use strict";

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

function draw(c) {
  drawChart(c, data, {
    label: (s) => c.id === "recall" && s.key === "recallFrozenPaired" && status && status.frozenVersion >= 0
      ? "frozen v" + status.frozenVersion + " (paired)" : null,
    marker: c.freezeMarker && status && status.frozenAtMs != null
      ? { t: status.frozenAtMs / 1000, label: "frozen copy taken" } : null,
  });
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
  const clickedCol = historyColumn(h);
  const seen = new Set((h.clicks || []).map((c) => c.videoId));

  const recCol = recommendationsColumn(r.recommendations || {});
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

buildCharts(document.getElementById("charts"), CHARTS);
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
