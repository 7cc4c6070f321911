// The supervisor's office: the post's daily log with filters and each movement's checks and
// images, the day's sign-off, statistics as charts, inspectors' accounts and the audit trail.
"use strict";

const $ = (id) => document.getElementById(id);
let me = {};
let auditNext = null;

function cell(text, className) {
  const td = document.createElement("td");
  td.textContent = text ?? "";
  if (className) td.className = className;
  return td;
}

function button(labelKey, onclick, className) {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = I18N.t(labelKey);
  b.onclick = onclick;
  if (className) b.className = className;
  return b;
}

function when(utc) {
  return utc ? new Date(utc).toLocaleString(I18N.locales[I18N.language]) : "";
}

async function start() {
  const session = await Api.get("/api/session");
  if (session.status !== 200) return (location.href = "index.html");
  me = session.body;
  await I18N.load(me.language);
  $("language").value = me.language;
  $("who").textContent = `${me.name} (${me.account})`;
  if (me.role === "inspector") {  // the API refuses them too; the page says so plainly
    $("forbidden").hidden = false;
    for (const id of ["tab-log", "office-tabs"]) $(id).hidden = true;
    return;
  }
  if (me.role !== "administrator") for (const o of $("new-role").options) o.disabled = o.value !== "inspector";
  const status = await Api.get("/api/status");
  const today = status.body.local_date;
  $("day").value = today;
  $("stats-to").value = today;
  const monthAgo = new Date(`${today}T00:00:00Z`);
  monthAgo.setUTCDate(monthAgo.getUTCDate() - 30);
  $("stats-from").value = monthAgo.toISOString().slice(0, 10);
  $("new-language").value = me.language;
  await showDay();
}

function showTab(name) {
  for (const b of $("office-tabs").querySelectorAll("button")) b.classList.toggle("active", b.dataset.tab === name);
  for (const tab of ["log", "stats", "accounts", "audit"]) $("tab-" + tab).hidden = tab !== name;
  if (name === "stats") showStats();
  if (name === "accounts") showAccounts();
  if (name === "audit") showAudit(false);
}

// --- the daily log ---
function dayQuery() {
  const q = new URLSearchParams({ date: $("day").value });
  if ($("f-direction").value) q.set("direction", $("f-direction").value);
  if ($("f-decision").value) q.set("decision", $("f-decision").value);
  if ($("f-inspector").value.trim()) q.set("inspector", $("f-inspector").value.trim());
  if ($("f-nationality").value.trim()) q.set("nationality", $("f-nationality").value.trim().toUpperCase());
  if ($("f-alerts").checked) q.set("alerts", "1");
  return q;
}

async function showDay() {
  const { movements: rows, total } = await Api.allMovements(dayQuery());
  const day = $("day").value;
  $("count").textContent = I18N.t("office.count", { n: total });
  $("export").href = `/api/movements/export?from=${day}&to=${day}`;
  $("report").href = `report.html?date=${day}`;
  $("movements").replaceChildren(...rows.map((m) => {
    const tr = document.createElement("tr");
    tr.append(cell(m.local_time), cell(I18N.t("desk." + m.direction)), cell(I18N.t("desk." + m.decision) + (m.refusal_reason ? ` (${m.refusal_reason})` : "")),
      cell(`${m.document.issuer} ${m.document.number}`), cell(`${m.traveller.surname}, ${m.traveller.given_names}`),
      cell(m.traveller.nationality), cell(m.inspector), cell(m.alerts || "", m.alerts ? "alerts" : ""));
    const open = document.createElement("td");
    open.append(button("office.open", () => openMovement(m.uuid)));
    tr.append(open);
    return tr;
  }));
  await showSignOff();
}

async function showSignOff() {
  const answer = await Api.get(`/api/days/${$("day").value}`);
  $("sign-off-error").textContent = "";
  if (answer.status !== 200) return ($("sign-off-state").textContent = I18N.failure(answer));
  const s = answer.body.sign_off;
  const state = $("sign-off-state");
  if (!s) {
    state.textContent = I18N.t("office.signoff.none", { n: I18N.number(answer.body.totals.movements) });
    state.className = "";
  } else {
    state.textContent = I18N.t("office.signoff." + s.state, { who: s.supervisor, when: when(s.signed_at) });
    state.className = s.state === "intact" ? "good" : "bad";
  }
  $("sign-off-button").disabled = !!s && s.state === "intact";
}

async function signOff() {
  const answer = await Api.post(`/api/days/${$("day").value}/sign-off`, { note: $("sign-off-note").value });
  if (answer.status !== 201) return ($("sign-off-error").textContent = I18N.failure(answer));
  $("sign-off-note").value = "";
  await showSignOff();
}

async function openMovement(uuid) {
  const answer = await Api.get(`/api/movements/${uuid}`);
  if (answer.status !== 200) return;
  const m = answer.body;
  $("movement-title").textContent = `${I18N.date(m.local_date)} ${m.local_time} · ${I18N.t("desk." + m.direction)} · ${I18N.t("desk." + m.decision)}`;
  const rows = [
    ["field.surname", m.traveller.surname], ["field.given_names", m.traveller.given_names],
    ["field.document_number", `${m.document.issuer} ${m.document.number} (${m.document.format})`],
    ["field.nationality", m.traveller.nationality], ["field.birth_date", I18N.date(m.traveller.birth_date)], ["field.sex", I18N.sex(m.traveller.sex)],
    ["field.expiry_date", I18N.date(m.document.expiry)], ["office.col.inspector", m.inspector], ["desk.reason", m.refusal_reason],
    ["desk.note", m.note], ["desk.companion", m.companion], ["movement.source", I18N.t("movement.source." + m.source)], ["movement.seq", m.seq],
  ];
  $("movement-fields").replaceChildren(...rows.filter(([, v]) => v !== "" && v !== undefined).flatMap(([key, value]) => {
    const dt = document.createElement("dt");
    dt.textContent = I18N.t(key);
    const dd = document.createElement("dd");
    dd.textContent = value;
    return [dt, dd];
  }));
  $("movement-checks").replaceChildren(...m.checks.map((c) => checkItem(c, true)));
  const lights = Object.keys(m.images || {});
  const showLight = (light) => {
    $("movement-image").src = `/api/movements/${uuid}/images/${light}`;
    for (const b of $("movement-lights").children) b.classList.toggle("active", b.dataset.light === light);
  };
  $("movement-lights").replaceChildren(...lights.map((light) => {
    const b = button("light." + light, () => showLight(light));
    b.dataset.light = light;
    return b;
  }));
  $("movement-image").hidden = !lights.length;
  if (lights.length) showLight(lights.includes("white") ? "white" : lights[0]);
  $("movement").showModal();
}

// --- statistics ---
async function showStats() {
  $("stats-error").textContent = "";
  const answer = await Api.get(`/api/statistics?from=${$("stats-from").value}&to=${$("stats-to").value}`);
  if (answer.status !== 200) return ($("stats-error").textContent = I18N.failure(answer));
  const s = answer.body;
  const t = s.totals;
  $("stats-totals").replaceChildren(...[
    ["stats.total", t.total], ["stats.entries", t.entries], ["stats.exits", t.exits], ["stats.admitted", t.admitted],
    ["stats.refused", t.refused], ["stats.referred", t.referred], ["stats.with_alerts", t.with_alerts],
  ].map(([key, n]) => {
    const box = document.createElement("div");
    box.className = "total";
    box.dataset.total = key.slice(6);
    const number = document.createElement("strong");
    number.textContent = I18N.number(n);
    const label = document.createElement("span");
    label.textContent = I18N.t(key);
    box.append(number, label);
    return box;
  }));
  const series = [{ name: I18N.t("stats.entries"), className: "entries" }, { name: I18N.t("stats.exits"), className: "exits" }];
  const keyed = (list, label = (k) => k) => list.map((r) => ({ label: label(r.key), value: r.count }));
  $("charts").replaceChildren(
    Charts.columns(I18N.t("stats.per_hour"), s.per_hour.map((h) => ({ label: String(h.hour).padStart(2, "0"), values: [h.entries, h.exits] })), series),
    Charts.columns(I18N.t("stats.per_day"), s.per_day.map((d) => ({ label: I18N.shortDate(d.date), values: [d.entries, d.exits] })), series),
    Charts.bars(I18N.t("stats.nationality"), keyed(s.nationality.slice(0, 15), (k) => (k === "unknown" ? I18N.t("stats.unknown") : k))),
    Charts.bars(I18N.t("stats.sex"), keyed(s.sex, (k) => I18N.t("sex." + k))),
    Charts.bars(I18N.t("stats.age_band"), keyed(s.age_band, (k) => (k === "unknown" ? I18N.t("stats.unknown") : k))),
    Charts.bars(I18N.t("stats.refusal_reason"), keyed(s.refusal_reason), "refused"),
    Charts.bars(I18N.t("stats.alerts"), keyed(s.alerts, (k) => I18N.t("check." + k)), "refused"),
  );
}

// --- accounts ---
async function showAccounts() {
  const answer = await Api.get("/api/accounts");
  if (answer.status !== 200) return ($("accounts-message").textContent = I18N.failure(answer));
  $("accounts").replaceChildren(...answer.body.accounts.map((a) => {
    const tr = document.createElement("tr");
    tr.dataset.account = a.account;
    const state = a.disabled ? "accounts.disabled" : a.locked ? "accounts.locked" : "accounts.active";
    tr.append(cell(a.account), cell(a.name), cell(I18N.t("role." + a.role)), cell(a.language.toUpperCase()),
      cell(I18N.t(state), a.disabled || a.locked ? "bad" : "good"));
    const actions = document.createElement("td");
    actions.className = "actions";
    const manageable = a.account !== me.account && (me.role === "administrator" || a.role === "inspector");
    if (manageable) {
      actions.append(button(a.disabled ? "accounts.enable" : "accounts.disable",
        () => changeAccount(a.account, a.disabled ? "enable" : "disable")));
      const reset = document.createElement("form");
      reset.className = "reset";
      const input = document.createElement("input");
      input.type = "password";
      input.autocomplete = "new-password";
      input.placeholder = I18N.t("accounts.new_password");
      input.setAttribute("aria-label", I18N.t("accounts.new_password"));
      const save = document.createElement("button");
      save.textContent = I18N.t("accounts.set_password");
      reset.append(input, save);
      reset.onsubmit = (e) => { e.preventDefault(); changeAccount(a.account, "password", { password: input.value }); };
      actions.append(reset);
    }
    tr.append(actions);
    return tr;
  }));
}

async function changeAccount(account, action, body = {}) {
  const answer = await Api.post(`/api/accounts/${encodeURIComponent(account)}/${action}`, body);
  $("accounts-message").className = answer.status === 200 ? "good" : "error";
  $("accounts-message").textContent = answer.status === 200 ? I18N.t("accounts.done." + action, { account }) : I18N.failure(answer);
  await showAccounts();
}

async function createAccount(e) {
  e.preventDefault();
  $("account-error").textContent = "";
  if ($("new-password").value !== $("new-password-2").value) return ($("account-error").textContent = I18N.t("accounts.mismatch"));
  const answer = await Api.post("/api/accounts", {
    account: $("new-account").value.trim(), name: $("new-name").value.trim(), role: $("new-role").value,
    language: $("new-language").value, password: $("new-password").value,
  });
  if (answer.status !== 201) return ($("account-error").textContent = I18N.failure(answer));
  $("accounts-message").className = "good";
  $("accounts-message").textContent = I18N.t("accounts.done.create", { account: answer.body.account });
  $("account-form").reset();
  $("new-language").value = me.language;
  await showAccounts();
}

// --- audit trail ---
async function showAudit(more) {
  const q = new URLSearchParams({ limit: "200" });
  if ($("audit-day").value) q.set("date", $("audit-day").value);
  if ($("audit-actor").value.trim()) q.set("actor", $("audit-actor").value.trim());
  if ($("audit-action").value.trim()) q.set("action", $("audit-action").value.trim());
  if (more && auditNext) q.set("before", auditNext);
  const answer = await Api.get(`/api/audit?${q}`);
  if (answer.status !== 200) return;
  const rows = answer.body.entries.map((e) => {
    const tr = document.createElement("tr");
    // The action in words where the message files know it; its code stays in the tooltip (and the filter).
    const action = cell(I18N.messages["audit." + e.action] ? I18N.t("audit." + e.action) : e.action);
    action.title = e.action;
    tr.append(cell(when(e.at)), cell(e.actor), action, cell(e.subject), cell(e.detail.length > 120 ? e.detail.slice(0, 120) + "…" : e.detail));
    return tr;
  });
  if (more) $("audit").append(...rows);
  else $("audit").replaceChildren(...rows);
  auditNext = answer.body.next;
  $("audit-more").hidden = auditNext === null;
}

for (const b of $("office-tabs").querySelectorAll("button")) b.onclick = () => showTab(b.dataset.tab);
$("day-form").addEventListener("submit", (e) => { e.preventDefault(); showDay(); });
$("stats-form").addEventListener("submit", (e) => { e.preventDefault(); showStats(); });
$("audit-form").addEventListener("submit", (e) => { e.preventDefault(); showAudit(false); });
$("audit-more").onclick = () => showAudit(true);
$("account-form").addEventListener("submit", createAccount);
$("sign-off-button").onclick = signOff;
$("movement-close").onclick = () => $("movement").close();
$("language").addEventListener("change", async (e) => {
  const answer = await Api.post("/api/session/language", { language: e.target.value });
  if (answer.status !== 200) return;
  me.language = e.target.value;
  await I18N.load(e.target.value);
  await showDay();
  const open = [...$("office-tabs").querySelectorAll("button")].find((b) => b.classList.contains("active"));
  if (open && open.dataset.tab !== "log") showTab(open.dataset.tab);
});
$("logout").onclick = async () => { await Api.call("DELETE", "/api/session"); location.href = "index.html"; };
start();
