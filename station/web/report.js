// The printable daily report: the day's totals, crossings per hour, nationalities, refusals,
// alerts and every movement, with the sign-off. The browser prints it or saves it as PDF.
"use strict";

const $ = (id) => document.getElementById(id);

function row(...cells) {
  const tr = document.createElement("tr");
  for (const text of cells) {
    const td = document.createElement("td");
    td.textContent = text ?? "";
    tr.append(td);
  }
  return tr;
}

async function start() {
  const session = await Api.get("/api/session");
  if (session.status !== 200) return (location.href = "index.html");
  await I18N.load(session.body.language);
  const date = new URLSearchParams(location.search).get("date") || "";
  const [status, stats, day] = await Promise.all([Api.get("/api/status"), Api.get(`/api/statistics?date=${date}`), Api.get(`/api/days/${date}`)]);
  if (stats.status !== 200 || day.status !== 200) return ($("report-error").textContent = I18N.failure(stats.status !== 200 ? stats : day));
  $("report-date").textContent = I18N.date(date);
  $("report-post").textContent = `${status.body.post} · ${status.body.station}`;
  const t = stats.body.totals;
  $("report-totals").replaceChildren(...[
    ["stats.total", t.total], ["stats.entries", t.entries], ["stats.exits", t.exits], ["stats.admitted", t.admitted],
    ["stats.refused", t.refused], ["stats.referred", t.referred], ["stats.with_alerts", t.with_alerts],
  ].map(([key, n]) => row(I18N.t(key), I18N.number(n))));
  $("report-hours").replaceChildren(...stats.body.per_hour.filter((h) => h.total > 0)
    .map((h) => row(`${String(h.hour).padStart(2, "0")}:00`, I18N.number(h.entries), I18N.number(h.exits))));
  const list = (id, rows, label = (k) => k) =>
    $(id).replaceChildren(...(rows.length ? rows.map((r) => row(label(r.key), I18N.number(r.count))) : [row(I18N.t("stats.none"))]));
  list("report-nationality", stats.body.nationality);
  list("report-reasons", stats.body.refusal_reason);
  list("report-alerts", stats.body.alerts, (k) => I18N.t("check." + k));

  const { movements } = await Api.allMovements({ date });
  $("report-movements").replaceChildren(...movements.map((m) => row(m.local_time, I18N.t("desk." + m.direction),
    I18N.t("desk." + m.decision) + (m.refusal_reason ? ` (${m.refusal_reason})` : ""), `${m.document.issuer} ${m.document.number}`,
    `${m.traveller.surname}, ${m.traveller.given_names}`, m.traveller.nationality, m.inspector, m.alerts || "")));

  const s = day.body.sign_off;
  const locale = I18N.locales[I18N.language];
  $("report-sign-off").textContent = s
    ? I18N.t("office.signoff." + s.state, { who: s.supervisor, when: new Date(s.signed_at).toLocaleString(locale) }) +
      (s.note ? ` — ${s.note}` : "") + ` · SHA-256 ${s.totals.records_sha256.slice(0, 16)}…`
    : I18N.t("office.signoff.none", { n: I18N.number(day.body.totals.movements) });
  $("report-printed").textContent = I18N.t("report.printed", { who: `${session.body.name} (${session.body.account})`, when: new Date().toLocaleString(locale) });
  document.body.dataset.ready = "1";  // for automation: everything is on the page
}

$("print").onclick = () => window.print();
start();
