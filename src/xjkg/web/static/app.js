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
const DECIMAL = /^([+-]?)(\d+)(?:\.(\d*))?$/;
// IRIs safe to write between < and > in a query (anything else is left without a label).
const SAFE_IRI = /^[a-z][a-z0-9+.-]*:[^\s<>"{}|^`\\]+$/i;
const LOOKUP_MAX = 400;
// How a unit is written after a number ("2.61 billion Yuan"): the server's table, in the page.
const UNIT_WORDS = (() => {
  const node = document.getElementById("unit-words");
  try { return node ? JSON.parse(node.textContent) : {}; } catch (error) { return {}; }
})();
// What the graph says about the IRIs of the result shown: label, and for a figure its value and unit.
let known = new Map();

function group(digits) { return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ","); }

// A number as people read it, exact (only the point moves): 2610000000 → "2.61 billion", 410000 → "410,000".
function formatNumber(lexical) {
  const m = DECIMAL.exec(String(lexical).trim());
  if (!m) return String(lexical);
  const sign = m[1] === "-" ? "-" : "";
  const whole = m[2].replace(/^0+/, "") || "0";
  let fraction = m[3] || "";
  for (const [places, word] of [[9, "billion"], [6, "million"]]) {
    if (whole.length > places) {
      const tail = (whole.slice(-places) + fraction).replace(/0+$/, "");
      return `${sign}${group(whole.slice(0, -places))}${tail ? "." + tail : ""} ${word}`;
    }
  }
  fraction = fraction.replace(/0+$/, "");
  return `${sign}${group(whole)}${fraction ? "." + fraction : ""}`;
}

function unitWord(unit) {
  const word = UNIT_WORDS[unit];
  return word === undefined ? compact(unit).split(":").pop() : word;
}

function withUnit(text, unit) {
  if (!unit) return text;
  const word = unitWord(unit);
  return word === "%" ? text + "%" : word ? `${text} ${word}` : text;
}

// The unit of a number in a row: that of a figure of the same row stating the same value.
function unitOf(term, row) {
  if (!isQuantity(term)) return null;
  for (const other of Object.values(row)) {
    const info = other && other.type === "uri" ? known.get(other.value) : null;
    if (info && info.unit && info.value !== undefined && Number(info.value) === Number(term.value)) return info.unit;
  }
  return null;
}

function shownIri(iri) {
  const info = known.get(iri);
  if (info && info.label) return info.label;
  if (UNIT_WORDS[iri]) return UNIT_WORDS[iri];
  return compact(iri);
}

async function lookUp(vars, rows) {
  const iris = new Set();
  for (const row of rows) for (const v of vars) {
    const term = row[v];
    if (term && term.type === "uri" && SAFE_IRI.test(term.value) && iris.size < LOOKUP_MAX) iris.add(term.value);
  }
  const found = new Map();
  if (iris.size === 0) return found;
  const query = `PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
PREFIX sdmx-attribute: <http://purl.org/linked-data/sdmx/2009/attribute#>
SELECT ?iri (SAMPLE(?l) AS ?label) (SAMPLE(?v) AS ?value) (SAMPLE(?u) AS ?unit) WHERE {
  VALUES ?iri { ${[...iris].map((i) => `<${i}>`).join(" ")} }
  OPTIONAL { ?iri rdfs:label|skos:prefLabel|schema:name ?l FILTER(LANG(?l) = "" || LANGMATCHES(LANG(?l), "en")) }
  OPTIONAL { ?iri sdmx-measure:obsValue ?v ; sdmx-attribute:unitMeasure ?u }
} GROUP BY ?iri`;
  try {
    const response = await fetch("/sparql", { method: "POST", body: new URLSearchParams({ query: query }),
      headers: { Accept: "application/sparql-results+json" } });
    if (!response.ok) return found;
    const data = await response.json();
    for (const b of data.results.bindings) {
      found.set(b.iri.value, { label: b.label ? b.label.value : null, value: b.value ? b.value.value : undefined,
        unit: b.unit ? b.unit.value : null });
    }
  } catch (error) { /* labels are a courtesy: the table shows IRIs without them */ }
  return found;
}

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

function isEnglish(lang) { return /^en(-|$)/i.test(lang || ""); }

function cell(term, row) {
  if (!term) return "";
  if (term.type === "uri") {
    const href = hrefFor(term.value);
    const shown = shownIri(term.value);
    return href ? el("a", { href: href, title: term.value }, shown) : el("span", { title: term.value }, shown);
  }
  if (term.type === "bnode") return "_:" + term.value;
  if (isQuantity(term)) return el("span", { title: term.value }, withUnit(formatNumber(term.value), unitOf(term, row || {})));
  // The page is in English: only another language's tag tells the reader something.
  const lang = term["xml:lang"];
  return lang && !isEnglish(lang) ? el("span", {}, term.value + " ", el("span", { class: "lang" }, lang)) : term.value;
}

function isNumber(term) {
  return !!term && term.type !== "uri" && term.type !== "bnode" &&
    (NUMERIC.test(term.datatype || "") || (!term.datatype && !term["xml:lang"] && /^-?\d+(\.\d+)?$/.test(term.value)));
}

// Only a typed number is written as one ("650000" as a plain string is a code, not a quantity).
function isQuantity(term) {
  return !!term && term.type !== "uri" && term.type !== "bnode" && NUMERIC.test(term.datatype || "");
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
    for (const row of rows) body.append(el("tr", {}, ...vars.map((v) => el("td", isNumber(row[v]) ? { class: "num" } : {}, cell(row[v], row)))));
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

// A bar chart when the result is a label and a number: the first numeric column against the first other column
// whose values tell the rows apart (a report or region column that is the same on every row labels nothing).
function renderChart(vars, rows) {
  const box = document.getElementById("chart");
  box.replaceChildren();
  if (rows.length === 0 || rows.length > 60) return;
  const numeric = vars.find((v) => rows.every((r) => isNumber(r[v])));
  const texts = vars.filter((v) => v !== numeric && rows.some((r) => r[v] && !isNumber(r[v])));
  const distinct = (v) => new Set(rows.map((r) => (r[v] ? r[v].value : ""))).size;
  const label = texts.find((v) => rows.length === 1 || distinct(v) > 1) || texts[0];
  if (!numeric || !label) return;
  const NS = "http://www.w3.org/2000/svg";
  const values = rows.map((r) => Number(r[numeric].value));
  const max = Math.max(...values.map(Math.abs), 1e-12);
  const barH = 22, labelW = 300, width = 800, plotW = width - labelW - 150;
  const svg = document.createElementNS(NS, "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${rows.length * barH + 10}`);
  svg.setAttribute("width", String(width));
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", `${numeric} by ${label}`);
  rows.forEach((row, i) => {
    const term = row[label];
    let name = term ? (term.type === "uri" ? shownIri(term.value) : term.value) : "";
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
    const quantity = isQuantity(row[numeric])
      ? withUnit(formatNumber(row[numeric].value), unitOf(row[numeric], row)) : row[numeric].value;
    tip.textContent = `${term && term.type === "uri" ? term.value : name}: ${quantity}`;
    bar.append(tip);
    const value = document.createElementNS(NS, "text");
    value.setAttribute("x", String(labelW + (Math.abs(values[i]) / max) * plotW + 4)); value.setAttribute("y", String(y + 15));
    value.setAttribute("class", "bar-value");
    value.textContent = quantity;
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
    known = await lookUp(vars, rows);
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
