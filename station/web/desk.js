// The inspector's desk: the current traveller, live from the event feed; direction and decision
// from the keyboard (E/X, A/F/R), manual entry with live validation.
"use strict";

const $ = (id) => document.getElementById(id);
let inspection = { state: "idle" };
let light = "white";
let refusalReasons = [];

// The post's refusal reasons, in the inspector's language where the configuration gives it.
function showRefusalReasons() {
  // None is chosen in advance: a refusal names its reason on purpose.
  const chosen = $("refusal-reason").value;
  $("refusal-reason").replaceChildren(new Option(I18N.t("desk.reason.choose"), ""),
    ...refusalReasons.map((r) => new Option(`${r.code}: ${(r.labels || {})[I18N.language] || r.label}`, r.code)));
  $("refusal-reason").value = chosen;
}

async function start() {
  const me = await Api.get("/api/session");
  if (me.status !== 200) return (location.href = "index.html");
  await I18N.load(me.body.language);
  $("language").value = me.body.language;
  $("who").textContent = `${me.body.name} (${me.body.account})`;
  refusalReasons = (await Api.get("/api/refusal-reasons")).body || [];
  showRefusalReasons();
  await refreshStatus();
  const current = await Api.get("/api/inspection");
  show(current.body);
  listen();
  setInterval(refreshStatus, 10000);
}

function listen() {
  const feed = new WebSocket(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/api/events`);
  feed.onmessage = (message) => {
    const event = JSON.parse(message.data);
    if (event.inspection && typeof event.inspection === "object") show(event.inspection);
    if (event.event === "device" || event.event === "sync") refreshStatus();
  };
  feed.onclose = () => setTimeout(async () => {
    const me = await Api.get("/api/session");
    if (me.status === 200 && me.body.locked) $("lock").hidden = false;
    else if (me.status !== 200) location.href = "index.html";
    listen();
  }, 2000);
}

async function refreshStatus() {
  // Polled: not the inspector's activity, so it does not hold off the inactivity lock.
  const status = await Api.get("/api/status", { "X-Borderpost-Poll": "1" });  // a 423 shows the lock (Api)
  if (status.status !== 200) return;
  const s = status.body;
  $("post-name").textContent = s.post;
  $("reader-state").textContent = I18N.t(s.reader.connected ? "status.reader.connected" : "status.reader.disconnected");
  $("reader-state").className = "state " + (s.reader.connected ? "good" : "bad");
  for (const [id, device, name] of [["chip-state", s.chip_reader, "chip"], ["camera-state", s.camera, "camera"]]) {
    const state = !device.configured ? "none" : device.connected ? "connected" : "disconnected";
    $(id).textContent = I18N.t(`status.${name}.${state}`);
    $(id).className = "state " + (state === "connected" ? "good" : state === "disconnected" ? "bad" : "");
  }
  const last = s.sync.last_contact ? new Date(s.sync.last_contact).toLocaleTimeString(I18N.locales[I18N.language], { hour: "2-digit", minute: "2-digit" }) : "";
  $("sync-state").textContent = !s.sync.enabled ? I18N.t("status.sync.off", { pending: I18N.number(s.sync.pending) })
    : I18N.t(last ? "status.sync" : "status.sync.never", { pending: I18N.number(s.sync.pending), last });
  $("sync-state").className = "state " + (s.sync.last_error ? "bad" : "good");
  $("sync-state").title = s.sync.last_error || "";
  if (!s.store.writable) showMessage(I18N.say(s.store.problem_phrase, s.store.problem), true);
}

function showMessage(text, bad) {
  $("message").textContent = text || "";
  $("message").className = "message" + (bad ? " bad" : "");
}

function show(next) {
  // A new traveller starts at the top of the panel: the alert banner and the verdict first.
  if (next.id !== inspection.id) document.querySelector(".verdict-panel").scrollTop = 0;
  inspection = next;
  const verdict = $("verdict");
  $("recorded").hidden = true;
  $("decision-error").textContent = "";
  if (next.state === "idle" || !next.id) {
    verdict.className = "verdict idle";
    $("verdict-headline").textContent = I18N.t("desk.waiting");
    $("checks").replaceChildren();
    $("fields").replaceChildren();
    $("decision-form").hidden = true;
    $("alerts").hidden = true;
    $("portrait-box").hidden = true;
    $("chip-face-box").hidden = true;
    return;
  }
  showAlerts(next.verdict && next.state !== "decided" ? next.verdict.checks.filter((c) => c.alert) : []);
  $("portrait-box").hidden = !next.portrait;
  if (next.portrait) $("portrait").src = `/api/inspection/portrait?i=${next.id}`;
  const chipFace = Boolean(next.chip && next.chip.face);
  $("chip-face-box").hidden = !chipFace;
  if (chipFace) $("chip-face").src = `/api/inspection/chip-face?i=${next.id}`;
  showMessage(I18N.say(next.message_phrase, next.message), next.state !== "inspected" && next.state !== "decided");
  showImages(next);
  showFields(next.document);
  if (next.verdict) {
    verdict.className = "verdict " + next.verdict.overall;
    $("verdict-headline").textContent = headline(next.verdict);
    $("checks").replaceChildren(...next.verdict.checks.map((c) => checkItem(c)));
  } else {
    verdict.className = "verdict working";
    $("verdict-headline").textContent = I18N.t("state." + next.state);
    $("checks").replaceChildren();
  }
  $("decision-form").hidden = next.state !== "inspected";
  if (next.state === "inspected") $(next.direction === "exit" ? "dir-exit" : "dir-entry").checked = true;
  if (next.state === "decided" && next.movement) {
    $("recorded").hidden = false;
    $("recorded").textContent = I18N.t("desk.recorded", { decision: I18N.t("desk." + next.movement.decision), seq: next.movement.seq });
  }
}

// The verdict in the inspector's language: its word, then the checks that need attention (fails
// before warnings, alerts first), at most three by name.
function headline(verdict) {
  const rank = (c) => (c.status === "fail" ? 2 : 1) * 2 + (c.alert ? 1 : 0);
  const issues = verdict.checks.filter((c) => c.status === "fail" || c.status === "warn").sort((a, b) => rank(b) - rank(a));
  const names = issues.slice(0, 3).map((c) => I18N.t("check." + c.id));
  if (issues.length > 3) names.push(I18N.t("desk.more_issues", { n: issues.length - 3 }));
  return I18N.t("verdict." + verdict.overall) + (names.length ? " — " + names.join(", ") : "");
}

// Alerts stand above everything else, in words, until the inspector decides.
function showAlerts(alerts) {
  const banner = $("alerts");
  banner.hidden = !alerts.length;
  banner.replaceChildren(...alerts.map((c) => {
    const line = document.createElement("div");
    const name = document.createElement("strong");
    name.textContent = I18N.t("desk.alert", { check: I18N.t("check." + c.id) });
    line.append(name, " ", I18N.say(c.reason_phrase, c.reason));
    return line;
  }));
}

function showFields(doc) {
  const dl = $("fields");
  dl.replaceChildren();
  if (!doc) return;
  const rows = [
    ["field.surname", doc.surname], ["field.given_names", doc.given_names], ["field.document_number", doc.document_number],
    ["field.nationality", doc.nationality], ["field.birth_date", I18N.date(doc.birth_date)], ["field.sex", I18N.sex(doc.sex)],
    ["field.expiry_date", I18N.date(doc.expiry_date)], ["field.issuing_state", doc.issuing_state],
  ];
  for (const [key, value] of rows) {
    const dt = document.createElement("dt");
    dt.textContent = I18N.t(key);
    const dd = document.createElement("dd");
    dd.textContent = typeof value === "object" && value !== null ? value.value ?? "" : value ?? "";
    dl.append(dt, dd);
  }
}

function showImages(next) {
  const lights = next.images || [];
  const tabs = $("light-tabs");
  tabs.replaceChildren(...lights.map((l) => {
    const b = document.createElement("button");
    b.textContent = I18N.t("light." + l);
    b.className = l === light ? "active" : "";
    b.onclick = () => { light = l; showImages(inspection); };
    return b;
  }));
  if (!lights.includes(light)) light = lights[0] || "white";
  $("page-image").src = lights.length ? `/api/inspection/images/${light}?i=${next.id}` : "";
  $("page-image").hidden = !lights.length;
}

async function decide(decision) {
  if (inspection.state !== "inspected") return;
  const body = { decision, inspection: inspection.id, direction: $("dir-exit").checked ? "exit" : "entry" };
  if ($("note").value) body.note = $("note").value;
  if ($("companion").value) body.companion = $("companion").value;
  if (decision === "refuse") {
    // R without a reason: the list takes the keys (arrows to choose, Enter to refuse).
    if (!$("refusal-reason").value) {
      $("decision-error").textContent = I18N.t("desk.reason.needed");
      return $("refusal-reason").focus();
    }
    body.refusal_reason = $("refusal-reason").value;
  }
  const answer = await Api.post("/api/inspection/decision", body);
  if (answer.status !== 201) return ($("decision-error").textContent = I18N.failure(answer));
  $("decision-error").textContent = "";
  $("note").value = "";
  $("companion").value = "";
  $("refusal-reason").value = "";
  show({ ...inspection, state: "decided", movement: answer.body });
}

async function validateTyped() {
  const text = $("mrz-input").value.toUpperCase();
  if (!text.trim()) return ($("mrz-feedback").textContent = "");
  const answer = await Api.post("/api/mrz/validate", { mrz: text });
  const problems = (answer.body.problems || []).map((p) => I18N.problem(p));
  $("mrz-feedback").textContent = answer.body.valid ? I18N.t("desk.manual.valid") : problems.join(" ");
  $("mrz-feedback").className = "feedback " + (answer.body.valid ? "good" : "bad");
}

async function submitTyped() {
  const answer = await Api.post("/api/inspection/manual", { mrz: $("mrz-input").value.toUpperCase() });
  if (answer.status !== 200) return ($("mrz-feedback").textContent = I18N.failure(answer));
  $("manual").open = false;
  $("mrz-input").value = "";
  show(answer.body);
}

// The direction changes the checks (an overstay or an exit without its entry only show on exit):
// the station runs them again before the inspector decides.
async function setDirection(direction) {
  $(direction === "exit" ? "dir-exit" : "dir-entry").checked = true;
  if (inspection.state !== "inspected" || inspection.direction === direction) return;
  const answer = await Api.post("/api/inspection/direction", { direction });
  if (answer.status === 200) show(answer.body);
  else showMessage(I18N.failure(answer), true);
}

document.addEventListener("keydown", (e) => {
  if (e.target.matches("input, textarea, select") || e.ctrlKey || e.altKey || e.metaKey) return;
  const key = e.key.toLowerCase();
  if (key === "e") setDirection("entry");
  else if (key === "x") setDirection("exit");
  else if (key === "a") decide("admit");
  else if (key === "f") decide("refer");
  else if (key === "r") decide("refuse");
  else if (key === "m") { $("manual").open = true; $("mrz-input").focus(); }
  else return;
  e.preventDefault();
});

$("refusal-reason").addEventListener("keydown", (e) => {
  if (e.key !== "Enter") return;
  e.preventDefault();
  $("refusal-reason").blur();  // the desk's keys work again
  decide("refuse");
});
$("dir-entry").addEventListener("change", () => setDirection("entry"));
$("dir-exit").addEventListener("change", () => setDirection("exit"));
$("admit").onclick = () => decide("admit");
$("refer").onclick = () => decide("refer");
$("refuse").onclick = () => decide("refuse");
$("mrz-input").addEventListener("input", validateTyped);
$("mrz-submit").onclick = submitTyped;
$("language").addEventListener("change", async (e) => {
  e.target.blur();  // the desk's keys work again at once
  const answer = await Api.post("/api/session/language", { language: e.target.value });
  if (answer.status === 200) {
    await I18N.load(e.target.value);
    show(inspection);
    showRefusalReasons();
    refreshStatus();
    validateTyped();
  }
});
$("logout").onclick = async () => { await Api.call("DELETE", "/api/session"); location.href = "index.html"; };
$("unlock-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const answer = await Api.post("/api/session/unlock", { password: $("unlock-password").value });
  $("unlock-password").value = "";
  if (answer.status === 200) $("lock").hidden = true;
  else if (answer.status !== 401) location.href = "index.html";
});

start();
