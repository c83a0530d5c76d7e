// xjkg web page: runs stored queries and SPARQL, shows a sortable table, a CSV download and a bar chart.
// No framework and nothing from a CDN; every value is put in the page as text (never as HTML).
"use strict";

const ID_BASE = "https://w3id.org/xjkg/id/";
const ONTOLOGY = "https://w3id.org/xjkg/ontology#";
const PREFIXES = [
  ["id:", ID_BASE], ["xjkg:", ONTOLOGY], ["rdf:", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"],
  ["rdfs:", "http://www.w3.org/2000/01/rdf-schema#"], ["skos:", "http://www.w3.org/2004/02/skos/core#"],
  ["qb:", "http://purl.org/linked-data/cube#"], ["prov:", "http://www.w3.org/ns/prov#"],
  ["oa:", "http://www.w3.org/ns/oa#"], ["schema:", "https://schema.org/"], ["org:", "http://www.w3.org/ns/org#"],
];
const NUMERIC = /#(integer|decimal|double|float|int|long|short|nonNegativeInteger|positiveInteger)$/;

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  for (const child of children) node.append(child);
  return node;
}

function compact(iri) {
  for (const [p, ns] of PREFIXES) if (iri.startsWith(ns)) return p + iri.slice(ns.length);
  return iri;
}

// Our own IRIs go to this server's pages; other http(s) IRIs to themselves; nothing else is a link.
function hrefFor(iri) {
  if (iri.startsWith(ID_BASE)) return "/id/" + iri.slice(ID_BASE.length);
  if (iri.startsWith(ONTOLOGY)) return "/ontology#" + iri.slice(ONTOLOGY.length);
  if (/^https?:\/\//i.test(iri)) return iri;
  return null;
}

function cell(term) {
  if (!term) return "";
  if (term.type === "uri") {
    const href = hrefFor(term.value);
    return href ? el("a", { href: href, title: term.value }, compact(term.value)) : compact(term.value);
  }
  if (term.type === "bnode") return "_:" + term.value;
  return term.value + (term["xml:lang"] ? " @" + term["xml:lang"] : "");
}

function isNumber(term) {
  return !!term && term.type !== "uri" && term.type !== "bnode" &&
    (NUMERIC.test(term.datatype || "") || (!term.datatype && !term["xml:lang"] && /^-?\d+(\.\d+)?$/.test(term.value)));
}

function sortKey(term) {
  if (!term) return "";
  return isNumber(term) ? Number(term.value) : term.value.toLowerCase();
}

function csvField(value) {
  return /[",\n\r]/.test(value) ? '"' + value.replace(/"/g, '""') + '"' : value;
}

function toCsv(vars, rows) {
  const lines = [vars.map(csvField).join(",")];
  for (const row of rows) lines.push(vars.map((v) => csvField(row[v] ? row[v].value : "")).join(","));
  return lines.join("\r\n") + "\r\n";
}

function renderTable(vars, rows) {
  const box = document.getElementById("table");
  box.replaceChildren();
  let order = { column: null, ascending: true };
  const table = el("table", { class: "results" });
  const head = el("tr");
  const body = el("tbody");
  const fill = () => {
    body.replaceChildren();
    for (const row of rows) body.append(el("tr", {}, ...vars.map((v) => el("td", isNumber(row[v]) ? { class: "num" } : {}, cell(row[v])))));
  };
  for (const v of vars) {
    const th = el("th", { scope: "col", "data-var": v, tabindex: "0", title: "sort" }, v);
    const sort = () => {
      order = { column: v, ascending: order.column === v ? !order.ascending : true };
      rows.sort((a, b) => {
        const x = sortKey(a[v]); const y = sortKey(b[v]);
        return (x < y ? -1 : x > y ? 1 : 0) * (order.ascending ? 1 : -1);
      });
      for (const other of head.children) other.removeAttribute("aria-sort");
      th.setAttribute("aria-sort", order.ascending ? "ascending" : "descending");
      fill();
    };
    th.addEventListener("click", sort);
    th.addEventListener("keydown", (e) => { if (e.key === "Enter") sort(); });
    head.append(th);
  }
  table.append(el("thead", {}, head), body);
  fill();
  const blob = new Blob([toCsv(vars, rows)], { type: "text/csv" });
  const download = el("a", { href: URL.createObjectURL(blob), download: "result.csv", id: "csv-download" }, "Download CSV");
  box.append(el("p", {}, `${rows.length} row${rows.length === 1 ? "" : "s"} · `, download), table);
}

// A bar chart when the result is a label and a number (first numeric column against first other column).
function renderChart(vars, rows) {
  const box = document.getElementById("chart");
  box.replaceChildren();
  if (rows.length === 0 || rows.length > 60) return;
  const numeric = vars.find((v) => rows.every((r) => isNumber(r[v])));
  const label = vars.find((v) => v !== numeric && rows.some((r) => r[v] && !isNumber(r[v])));
  if (!numeric || !label) return;
  const NS = "http://www.w3.org/2000/svg";
  const values = rows.map((r) => Number(r[numeric].value));
  const max = Math.max(...values.map(Math.abs), 1e-12);
  const barH = 22, labelW = 260, width = 760, plotW = width - labelW - 110;
  const svg = document.createElementNS(NS, "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${rows.length * barH + 10}`);
  svg.setAttribute("width", String(width));
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", `${numeric} by ${label}`);
  rows.forEach((row, i) => {
    const term = row[label];
    let name = term ? (term.type === "uri" ? compact(term.value) : term.value) : "";
    if (name.length > 40) name = name.slice(0, 39) + "…";
    const y = i * barH + 5;
    const text = document.createElementNS(NS, "text");
    text.setAttribute("x", String(labelW - 6)); text.setAttribute("y", String(y + 15));
    text.setAttribute("text-anchor", "end"); text.setAttribute("class", "bar-label");
    text.textContent = name;
    const bar = document.createElementNS(NS, "rect");
    bar.setAttribute("x", String(labelW)); bar.setAttribute("y", String(y + 2));
    bar.setAttribute("width", String(Math.max(1, (Math.abs(values[i]) / max) * plotW)));
    bar.setAttribute("height", String(barH - 6)); bar.setAttribute("class", "bar");
    const tip = document.createElementNS(NS, "title");
    tip.textContent = `${name}: ${row[numeric].value}`;
    bar.append(tip);
    const value = document.createElementNS(NS, "text");
    value.setAttribute("x", String(labelW + (Math.abs(values[i]) / max) * plotW + 4)); value.setAttribute("y", String(y + 15));
    value.setAttribute("class", "bar-value");
    value.textContent = values[i].toLocaleString("en");
    svg.append(text, bar, value);
  });
  box.append(svg);
}

function setStatus(text) { document.getElementById("status").textContent = text; }

async function show(response, started) {
  const notice = document.getElementById("notice");
  notice.replaceChildren();
  document.getElementById("chart").replaceChildren();
  document.getElementById("table").replaceChildren();
  const type = response.headers.get("content-type") || "";
  if (!response.ok) {
    notice.append(el("p", { class: "error" }, `Error ${response.status}: ${await response.text()}`));
    setStatus("");
    return;
  }
  const elapsed = ((performance.now() - started) / 1000).toFixed(2);
  if (!type.includes("json")) {
    document.getElementById("table").append(el("pre", { class: "rdf" }, await response.text()));
    setStatus(`done in ${elapsed} s`);
    return;
  }
  const data = await response.json();
  if (typeof data.boolean === "boolean") {
    notice.append(el("p", { class: "boolean" }, `Answer: ${data.boolean}`));
  } else {
    const vars = data.head.vars || [];
    const rows = data.results.bindings || [];
    if (data.truncated) notice.append(el("p", { class: "warning" }, `Only the first ${data.truncated.maxRows} rows are shown (row cap).`));
    renderTable(vars, rows);
    renderChart(vars, rows);
  }
  setStatus(`done in ${elapsed} s`);
}

const ACCEPT = "application/sparql-results+json, text/turtle;q=0.9";

async function runSparql() {
  const started = performance.now();
  setStatus("running…");
  const body = new URLSearchParams({ query: document.getElementById("query").value });
  try {
    await show(await fetch("/sparql", { method: "POST", body: body, headers: { Accept: ACCEPT } }), started);
  } catch (error) { setStatus(`failed: ${error}`); }
}

async function runStored(event) {
  event.preventDefault();
  const form = event.target;
  const started = performance.now();
  const params = new URLSearchParams();
  for (const [k, v] of new FormData(form).entries()) if (v !== "") params.append(k, v);
  setStatus("running…");
  const url = `/api/queries/${encodeURIComponent(form.dataset.query)}?${params}`;
  try {
    await show(await fetch(url, { headers: { Accept: ACCEPT } }), started);
    document.getElementById("results").scrollIntoView();
  } catch (error) { setStatus(`failed: ${error}`); }
}

async function loadExamples() {
  const select = document.getElementById("examples");
  const response = await fetch("/api/queries", { headers: { Accept: "application/json" } });
  if (!response.ok) return;
  const queries = await response.json();
  for (const q of queries) select.append(el("option", { value: q.name }, q.summary));
  select.addEventListener("change", () => {
    const found = queries.find((q) => q.name === select.value);
    if (found) document.getElementById("query").value = found.text;
  });
}

document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("run").addEventListener("click", runSparql);
  for (const form of document.querySelectorAll("form.stored")) form.addEventListener("submit", runStored);
  loadExamples();
});
