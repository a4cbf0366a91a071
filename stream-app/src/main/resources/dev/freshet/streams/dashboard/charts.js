// Freshet dashboards' shared drawing code (the demo's page and the stream app's page): line
// charts on <canvas> with a legend, number formats, DOM helpers and score tables. No libraries,
// so the pages work offline.
"use strict";

const COLORS = ["#2f6fde", "#e0594b", "#1f9d6b", "#8b5cf6", "#d9822b"];

function num(v) {
  if (v == null) return "–";
  return Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(1);
}
function dec3(v) { return v == null ? "–" : v.toFixed(3); }
function msFmt(v) {
  if (v == null) return "–";
  return v < 1000 ? v.toFixed(0) + " ms" : (v / 1000).toFixed(2) + " s";
}
function secFmt(v) {
  if (v == null) return "–";
  return v < 120 ? v.toFixed(0) + " s" : v < 7200 ? (v / 60).toFixed(1) + " min" : (v / 3600).toFixed(1) + " h";
}
// Seconds since a start as m:ss.
function clock(t) {
  const m = Math.floor(t / 60), s = Math.floor(t % 60);
  return m + ":" + (s < 10 ? "0" : "") + s;
}
// An epoch second as the local time of day.
function timeOfDay(t) {
  return new Date(t * 1000).toTimeString().substring(0, 8);
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
function chip(k, v) {
  return el("div", { class: "chip" }, el("span", { class: "k" }, k), el("span", { class: "v" }, v));
}

// One card per chart definition ({id, title, sub}) under root.
function buildCharts(root, charts) {
  for (const c of charts) {
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

// Draws chart c ({id, fmt, axisFmt, yMin, series: [{key, label}]}) from data ({t: [...], key:
// [...]}, null where a value is missing). opts: tFmt (time axis labels, default m:ss), label(s)
// (a legend label in place of s.label), marker ({t, label}: a dashed vertical line).
function drawChart(c, data, opts) {
  opts = opts || {};
  const card = document.getElementById("chart-" + c.id);
  const canvas = card.querySelector("canvas");
  const legend = card.querySelector(".legend");
  const t = data && data.t ? data.t : [];
  let points = 0;
  legend.replaceChildren();
  c.series.forEach((s, i) => {
    const vals = data && data[s.key] ? data[s.key] : [];
    const n = vals.filter((v) => v != null).length;
    points = Math.max(points, n);
    const label = (opts.label && opts.label(s)) || s.label;
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
    for (const v of (data && data[s.key] ? data[s.key] : [])) {
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
  const tFmt = opts.tFmt || clock;
  for (let tv = Math.ceil(t0 / step) * step; tv <= t1; tv += step) {
    g.fillText(tFmt(tv), x(tv), T + ph + 5);
  }

  const mark = opts.marker;
  if (mark && mark.t >= t0 && mark.t <= t1) {
    g.save();
    g.setLineDash([4, 4]);
    g.strokeStyle = "#8792a6";
    g.beginPath(); g.moveTo(x(mark.t), T); g.lineTo(x(mark.t), T + ph); g.stroke();
    g.restore();
    g.textAlign = "left";
    g.fillText(mark.label, x(mark.t) + 4, T + 2);
  }

  c.series.forEach((s, i) => {
    const vals = data[s.key] || [];
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

// Bar widths in percent that grow with the score within one list: the best item gets the full
// bar. The bars start at 0, or at the list's lowest score when some scores are negative (inner
// products can be), so a more negative score never gets a longer bar.
function barWidths(scores) {
  const hi = Math.max(...scores), lo = Math.min(0, ...scores);
  if (!(hi > lo)) return scores.map(() => 100);
  return scores.map((v) => Math.max(2, (100 * (v - lo)) / (hi - lo)));
}

// A ranked list [{videoId, score}] as a table with score bars; rows of items in clicked are marked.
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

// A user's history from the query API (GET /users/{id}/history) as a column: profile line and
// the recent clicks, newest first.
function historyColumn(h) {
  const col = el("div", { id: "user-history" }, el("h3", {}, "Recent clicks (newest first)"));
  if (h.error) {
    col.append(el("p", { class: "error" }, h.error));
    return col;
  }
  const p = el("p", { class: "muted" }, [h.province, h.city, h.phone].map((v) => v || "?").join(" · ") +
    " · " + h.totalClicks + " clicks in total");
  const t = el("table", { class: "history", "data-count": String(h.clicks.length) },
    el("tr", {}, el("th", {}, "item"), el("th", {}, "category"), el("th", {}, "tags"), el("th", {}, "time")));
  for (const c of h.clicks.slice().reverse()) {
    t.append(el("tr", {}, el("td", {}, c.videoId), el("td", {}, c.category || "–"),
      el("td", {}, (c.tags || []).join(", ")), el("td", {}, (c.eventTime || "").substring(11, 19))));
  }
  col.append(p, t);
  return col;
}

// The query API's current top-N (GET /users/{id}/recommendations) as a column.
function recommendationsColumn(recs) {
  const col = el("div", { id: "user-recs" });
  if (recs.error) {
    col.append(el("h3", {}, "Top-N now"), el("p", { class: "error" }, recs.error));
  } else {
    col.append(el("h3", {}, "Top-" + recs.items.length + " now ", el("span", { class: "badge" }, "MODEL v" + recs.modelVersion)),
      scoreTable(recs.items, "recs", new Set()));
  }
  return col;
}
