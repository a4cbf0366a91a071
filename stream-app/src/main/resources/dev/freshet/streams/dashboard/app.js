// Freshet stream app dashboard: polls api/app (the whole application, merged by the instance
// asked), draws the charts with charts.js, and looks users up through the query API.
"use strict";

const CHARTS = [
  {
    id: "throughput", title: "Throughput", fmt: num,
    sub: "model lists vs popularity lists vs dead letters, per second, summed over the instances (1 s samples)",
    series: [
      { key: "recsModel", label: "model lists" },
      { key: "recsPopularity", label: "popularity lists" },
      { key: "deadLetters", label: "dead letters" },
      { key: "duplicates", label: "duplicates" },
    ],
  },
  {
    id: "quality", title: "Live prequential quality", fmt: dec3, yMin: 0,
    sub: "HR@K vs NDCG@K of the lists emitted against the next click of each user, over the last judged clicks of every instance",
    series: [
      { key: "hr", label: "HR@K" },
      { key: "ndcg", label: "NDCG@K" },
    ],
  },
  {
    id: "latency", title: "Click → recommendation", fmt: msFmt, yMin: 0,
    sub: "average vs maximum of click event time → list computed, over Kafka Streams' sample window (about a minute)",
    series: [
      { key: "latencyAvgMs", label: "average" },
      { key: "latencyMaxMs", label: "maximum" },
    ],
  },
  {
    id: "freshness", title: "Model freshness", fmt: secFmt, yMin: 0,
    sub: "age of the served snapshot vs age of the newest click it learned from, in seconds",
    series: [
      { key: "modelAgeS", label: "since the snapshot was written" },
      { key: "eventLagS", label: "since its newest click" },
    ],
  },
  {
    id: "trainer", title: "Training", fmt: num, yMin: 0,
    sub: "instances trained per second (from the snapshots' counts, over 30 s) against the served model version",
    series: [
      { key: "trainedPerSec", label: "instances/s" },
      { key: "servedVersion", label: "served version" },
    ],
  },
  {
    id: "lag", title: "Consumer lag", fmt: num, yMin: 0, source: "cluster",
    sub: "records the stream app vs the trainer have yet to read (every 5 s)",
    series: [
      { key: "appLag", label: "stream app" },
      { key: "trainerLag", label: "trainer" },
    ],
  },
];

let app = null;

function dataFor(c) {
  return app ? (c.source === "cluster" ? app.cluster : app.series) : null;
}

function draw(c) {
  drawChart(c, dataFor(c), { tFmt: timeOfDay });
}

function table(cls, head, rows) {
  const t = el("table", { class: cls, "data-count": String(rows.length) },
    el("tr", {}, ...head.map((h) => el("th", {}, h))));
  for (const r of rows) t.append(el("tr", {}, ...r.map((v) => el("td", {}, v))));
  return t;
}

function renderStatus() {
  const m = app.model;
  document.getElementById("chips").replaceChildren(
    chip("instances", String(app.instances.length)),
    chip("served model", m ? "v" + m.version : "popularity"),
    chip("model age", m ? secFmt(m.ageMs / 1000) : "–"),
    chip("instances trained", m ? m.instancesApplied.toLocaleString("en") : "–"),
    chip("items", m ? m.items.toLocaleString("en") : "–"),
    chip("HR@" + app.k, dec3(lastValue(app.series.hr))),
  );
  const p = document.getElementById("problems");
  p.className = "problems" + (app.problems.length ? "" : " ok");
  p.setAttribute("data-count", String(app.problems.length));
  p.replaceChildren(app.problems.length
    ? el("div", {}, el("b", {}, "Problems"), el("ul", {}, ...app.problems.map((x) => el("li", {}, x))))
    : el("div", {}, "No problems seen."));
  document.getElementById("instances").replaceChildren(table("instances", ["instance", "state", "served version"],
    app.instances.map((i) => [i.host + (i.local ? " (answering)" : ""), i.error ? i.error : i.state,
      i.servedVersion >= 0 ? "v" + i.servedVersion : "–"])));
  document.getElementById("versions").replaceChildren(table("versions", ["version", "judged clicks", "HR@" + app.k, "NDCG@" + app.k],
    app.versions.map((v) => [v.version < 0 ? "popularity" : "v" + v.version, v.judged.toLocaleString("en"),
      dec3(v.hr == null ? null : v.hr), dec3(v.ndcg == null ? null : v.ndcg)])));
  const groups = [];
  for (const [role, g] of [["stream app", app.groups.streamApp], ["trainer", app.groups.trainer]]) {
    if (g) groups.push([role, g.id, g.state, String(g.members), g.lag.toLocaleString("en")]);
    else groups.push([role, "–", "not seen", "–", "–"]);
  }
  document.getElementById("groups").replaceChildren(table("groups", ["role", "group", "state", "members", "lag"], groups));
  document.getElementById("dead-letters").replaceChildren(app.deadLetters.length
    ? table("dead-letters", ["topic", "reason", "last hour", "last 5 min"],
      app.deadLetters.map((d) => [d.topic, d.reason, String(d.lastHour), String(d.last5Min)]))
    : el("p", { class: "muted", id: "no-dead-letters" }, "none in the last hour"));
  document.getElementById("footer").textContent = "application " + app.applicationId + " · K=" + app.k +
    " · figures merged from " + app.instances.length + " instance(s) by the one answering · " + new Date(app.now).toISOString();
}

async function refresh() {
  try {
    app = await fetch("api/app").then((r) => r.json());
    renderStatus();
    CHARTS.forEach(draw);
    document.body.setAttribute("data-loaded", "true");
  } catch (e) {
    document.getElementById("footer").textContent = "dashboard: cannot reach the stream app (" + e + ")";
  }
}

async function getJson(path) {
  try {
    const r = await fetch(path);
    return await r.json();
  } catch (e) {
    return { error: String(e) };
  }
}

async function lookup(user) {
  user = (user || "").trim();
  if (!user) return;
  document.getElementById("user").value = user;
  const out = document.getElementById("user-result");
  out.replaceChildren(el("p", { class: "muted" }, "looking up " + user + "…"));
  const id = encodeURIComponent(user);
  const [h, recs] = await Promise.all([getJson("../users/" + id + "/history"), getJson("../users/" + id + "/recommendations")]);
  out.replaceChildren(el("div", { class: "cols" }, historyColumn(h), recommendationsColumn(recs)));
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
setInterval(refresh, 2000);
const initial = new URLSearchParams(location.search).get("user");
if (initial) lookup(initial);
