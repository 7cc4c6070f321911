// The supervisor's office: the post's daily movement log (more views follow).
"use strict";

const $ = (id) => document.getElementById(id);

async function start() {
  const me = await Api.get("/api/session");
  if (me.status !== 200) return (location.href = "index.html");
  await I18N.load(me.body.language);
  $("who").textContent = `${me.body.name} (${me.body.account})`;
  if (me.body.role === "inspector") {  // the API refuses them too; the page says so plainly
    $("forbidden").hidden = false;
    $("day-form").hidden = true;
    return;
  }
  const status = await Api.get("/api/status");
  $("day").value = status.body.local_date;
  await showDay();
}

async function showDay() {
  const rows = [];
  let after = "";
  let total = 0;
  do {
    const answer = await Api.get(`/api/movements?date=${$("day").value}&limit=5000${after ? "&after=" + after : ""}`);
    if (answer.status !== 200) break;
    if (answer.body.total !== null) total = answer.body.total;
    rows.push(...answer.body.movements);
    after = answer.body.next || "";
  } while (after);
  $("count").textContent = I18N.t("office.count", { n: I18N.number(total) });
  $("export").href = `/api/movements/export?from=${$("day").value}&to=${$("day").value}`;
  $("movements").replaceChildren(...rows.map((m) => {
    const tr = document.createElement("tr");
    const cells = [m.local_time, I18N.t("desk." + m.direction), I18N.t("desk." + m.decision),
      `${m.document.issuer} ${m.document.number}`, `${m.traveller.surname}, ${m.traveller.given_names}`,
      m.traveller.nationality, m.inspector, m.alerts || ""];
    cells.forEach((text, i) => {
      const td = document.createElement("td");
      td.textContent = text;
      if (i === 7 && m.alerts) td.className = "alerts";
      tr.append(td);
    });
    return tr;
  }));
}

$("day-form").addEventListener("submit", (e) => { e.preventDefault(); showDay(); });
$("logout").onclick = async () => { await Api.call("DELETE", "/api/session"); location.href = "index.html"; };
start();
