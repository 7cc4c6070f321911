// Every string of the pages comes from i18n/LANG.json; elements name theirs in data-i18n
// (text) or data-i18n-placeholder. Dates and numbers follow the language's locale.
"use strict";

const I18N = {
  language: "es",
  messages: {},
  locales: { es: "es-PE", pt: "pt-BR", en: "en-GB", fr: "fr-FR" },

  wanted: "",

  async load(language) {
    this.wanted = language;
    const answer = await fetch(`i18n/${language}.json`, { cache: "no-cache" });
    if (!answer.ok) throw new Error(`no messages for ${language}`);
    const messages = await answer.json();
    if (this.wanted !== language) return;  // a later choice won while this one was loading
    this.messages = messages;
    this.language = language;
    document.documentElement.lang = language;
    this.apply(document);
  },

  // t("checks.count", {n: 3}) -> the message with {n} replaced.
  t(key, values = {}) {
    const text = this.messages[key] ?? key;
    return text.replace(/\{(\w+)\}/g, (_, name) => (name in values ? String(values[name]) : `{${name}}`));
  },

  apply(root) {
    for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = this.t(el.dataset.i18n);
    for (const el of root.querySelectorAll("[data-i18n-placeholder]")) el.placeholder = this.t(el.dataset.i18nPlaceholder);
  },

  date(iso) {
    if (!iso) return "";
    const [y, m, d] = iso.split("-").map(Number);
    return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString(this.locales[this.language], { timeZone: "UTC" });
  },

  // Day and month only, for chart labels.
  shortDate(iso) {
    if (!iso) return "";
    const [y, m, d] = iso.split("-").map(Number);
    return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString(this.locales[this.language], { timeZone: "UTC", day: "2-digit", month: "2-digit" });
  },

  number(n) {
    return Number(n).toLocaleString(this.locales[this.language]);
  },
};

// The API with the session's CSRF token on every change.
const Api = {
  csrf: sessionStorage.getItem("csrf") || "",
  async call(method, path, body) {
    const options = { method, headers: {} };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    if (method !== "GET") options.headers["X-CSRF-Token"] = this.csrf;
    const answer = await fetch(path, options);
    let json = {};
    try { json = await answer.json(); } catch (e) { json = {}; }
    return { status: answer.status, body: json };
  },
  get(path) { return this.call("GET", path); },
  // Every movement a GET /api/movements query matches, page after page; total as the first page says.
  async allMovements(query) {
    const movements = [];
    let total = 0, after = "";
    do {
      const q = new URLSearchParams(query);
      q.set("limit", "5000");
      if (after) q.set("after", after);
      const page = await this.get(`/api/movements?${q}`);
      if (page.status !== 200) break;
      if (page.body.total !== null) total = page.body.total;
      movements.push(...page.body.movements);
      after = page.body.next || "";
    } while (after);
    return { movements, total };
  },
  post(path, body) { return this.call("POST", path, body); },
};

// One check as the desk and the office show it: status, name and reason (and the measurement).
function checkItem(check, withMeasurement = false) {
  const li = document.createElement("li");
  li.className = "check " + check.status + (check.alert ? " alert" : "");
  li.dataset.check = check.id;
  const status = document.createElement("span");
  status.className = "status";
  status.textContent = I18N.t("check.status." + check.status);
  const name = document.createElement("strong");
  name.textContent = I18N.t("check." + check.id);
  const reason = document.createElement("span");
  reason.className = "reason";
  reason.textContent = check.reason + (withMeasurement && check.measurement ? ` (${check.measurement})` : "");
  li.append(status, name, reason);
  return li;
}
