// Every string of the pages comes from i18n/LANG.json; elements name theirs in data-i18n
// (text), data-i18n-placeholder or data-i18n-label (aria-label). Dates and numbers follow the language's locale.
//
// What the daemon says (check reasons, MRZ problems, desk messages, errors) arrives in English
// with a phrase beside it: {key, args, parts}. say() words the phrase with the language's
// messages, and keeps the English only for a key the messages lack. Messages name values the
// way ICU MessageFormat does:
//   {name}                       the value as it is
//   {name, date} {name, number}  in the language's locale
//   {name, term}                 the message "term.<value>" (an MRZ field, a role)
//   {name, terms} {name, list}   a list (values separated by newlines), joined the language's way
//   {name, plural, =0 {...} one {...} other {...}}   '#' in the chosen branch is the number
//   {name, select, entry {...} other {...}}
"use strict";

const I18N = {
  language: "es",
  messages: {},
  locales: { es: "es-PE", pt: "pt-BR", en: "en-GB", fr: "fr-FR" },
  // Each language's name in itself, for the language choices (select[data-languages]).
  names: { es: "Español", pt: "Português", en: "English", fr: "Français" },

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

  // t("checks.count", {n: 3}) -> the message with its values put in.
  t(key, values = {}) {
    return this.format(this.messages[key] ?? key, values);
  },

  // A phrase from the daemon in this language; the English when a message is missing.
  say(phrase, english = "") {
    if (!phrase || !this.knows(phrase)) return english || "";
    return this.sentences(phrase);
  },
  knows(phrase) {
    return (!phrase.key || phrase.key in this.messages) && (phrase.parts || []).every((p) => this.knows(p));
  },
  sentences(phrase) {
    const head = phrase.key ? this.t(phrase.key, phrase.args || {}) : "";
    return [head, ...(phrase.parts || []).map((p) => this.sentences(p))].filter(Boolean).join(" ");
  },
  // Why an API call failed, for the person who made it.
  failure(answer) {
    return this.say(answer.body.phrase, answer.body.error || this.t("desk.failed"));
  },
  // An MRZ problem as GET /api/mrz/validate and the mrz tool report it.
  problem(p) {
    return this.say(p.code ? { key: "problem." + p.code, args: p.args } : null, p.message || String(p));
  },

  format(text, values, hash) {
    let out = "";
    for (let i = 0; i < text.length; ) {
      const c = text[i];
      if (c === "#" && hash !== undefined) { out += hash; i++; continue; }
      if (c !== "{") { out += c; i++; continue; }
      const end = this.closing(text, i);
      if (end < 0) return out + text.slice(i);
      out += this.placeholder(text.slice(i + 1, end), values);
      i = end + 1;
    }
    return out;
  },
  // The index of the brace that closes the one at `open`, or -1.
  closing(text, open) {
    let depth = 0;
    for (let i = open; i < text.length; i++) {
      if (text[i] === "{") depth++;
      else if (text[i] === "}" && --depth === 0) return i;
    }
    return -1;
  },
  placeholder(body, values) {
    const [name, type = "", ...rest] = body.split(",");
    const key = name.trim();
    if (!(key in values)) return `{${body}}`;
    const value = String(values[key]);
    switch (type.trim()) {
      case "": return value;
      case "date": return this.date(value);
      case "number": return this.number(value);
      case "term": return this.t("term." + value);
      case "terms": return this.list(value.split("\n").map((v) => this.t("term." + v)));
      case "list": return this.list(value.split("\n"));
      case "plural": {
        const branches = this.branches(rest.join(","));
        const n = Number(value);
        const branch = branches["=" + n] ?? branches[new Intl.PluralRules(this.locales[this.language]).select(n)] ?? branches.other ?? "";
        return this.format(branch, values, this.number(n));
      }
      case "select": {
        const branches = this.branches(rest.join(","));
        return this.format(branches[value] ?? branches.other ?? "", values);
      }
      default: return value;
    }
  },
  // "=0 {a} one {b} other {c}" -> {"=0": "a", one: "b", other: "c"}.
  branches(text) {
    const out = {};
    for (let i = 0; i < text.length; ) {
      const open = text.indexOf("{", i);
      if (open < 0) break;
      const end = this.closing(text, open);
      if (end < 0) break;
      out[text.slice(i, open).trim()] = text.slice(open + 1, end);
      i = end + 1;
    }
    return out;
  },
  list(items) {
    return new Intl.ListFormat(this.locales[this.language], { style: "long", type: "conjunction" }).format(items);
  },

  apply(root) {
    for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = this.t(el.dataset.i18n);
    for (const el of root.querySelectorAll("[data-i18n-placeholder]")) el.placeholder = this.t(el.dataset.i18nPlaceholder);
    for (const el of root.querySelectorAll("[data-i18n-label]")) el.setAttribute("aria-label", this.t(el.dataset.i18nLabel));
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

  // The MRZ's sex (M, F, X, or '<' for unspecified) in words.
  sex(code) {
    if (code === "<" || code === "X") return this.t("sex.X");
    return code === "F" || code === "M" ? this.t("sex." + code) : code || "";
  },

  number(n) {
    return Number(n).toLocaleString(this.locales[this.language]);
  },
};

// The inactivity lock on any page: a 423 answer covers the page until the same person's password
// opens the session again; a page without a lock form of its own gets one, and is reloaded after.
const Lock = {
  show() {
    let lock = document.getElementById("lock");
    if (!lock) {
      lock = document.createElement("div");
      lock.id = "lock";
      lock.className = "lock";
      lock.dataset.reload = "1";
      const form = document.createElement("form");
      const text = document.createElement("p");
      text.dataset.i18n = "desk.locked";
      const password = document.createElement("input");
      password.type = "password";
      password.id = "unlock-password";
      const button = document.createElement("button");
      button.type = "submit";
      button.dataset.i18n = "desk.unlock";
      form.append(text, password, button);
      lock.append(form);
      document.body.append(lock);
      I18N.apply(lock);
      form.addEventListener("submit", async (e) => {
        e.preventDefault();
        const answer = await Api.post("/api/session/unlock", { password: password.value });
        password.value = "";
        if (answer.status === 200) location.reload();
        else if (answer.status !== 401) location.href = "index.html";
      });
    }
    lock.hidden = false;
  },
};

// The API with the session's CSRF token on every change.
const Api = {
  csrf: sessionStorage.getItem("csrf") || "",
  async call(method, path, body, headers = {}) {
    const options = { method, headers: { ...headers } };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    if (method !== "GET") options.headers["X-CSRF-Token"] = this.csrf;
    const answer = await fetch(path, options);
    let json = {};
    try { json = await answer.json(); } catch (e) { json = {}; }
    if (answer.status === 423 && path !== "/api/session/unlock") Lock.show();
    return { status: answer.status, body: json };
  },
  get(path, headers) { return this.call("GET", path, undefined, headers); },
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
  const measurement = withMeasurement && check.measurement ? ` (${I18N.say(check.measurement_phrase, check.measurement)})` : "";
  reason.textContent = I18N.say(check.reason_phrase, check.reason) + measurement;
  li.append(status, name, reason);
  return li;
}

// The top bar's account controls, the same on every page that has them: who is logged in, the
// language of their pages, and log out. Pages mark the place with data-account-controls.
for (const place of document.querySelectorAll("[data-account-controls]")) {
  place.outerHTML = `<span id="who"></span>
    <select id="language" aria-label="language" data-i18n-label="login.language" data-languages="codes"></select>
    <button id="logout" data-i18n="desk.logout">Log out</button>`;
}

// Every language choice on the page offers the languages above: by name, or by code where the
// element says data-languages="codes" (the pages' top bars).
for (const select of document.querySelectorAll("select[data-languages]")) {
  const byCode = select.dataset.languages === "codes";
  select.append(...Object.keys(I18N.locales).map((code) => new Option(byCode ? code.toUpperCase() : I18N.names[code], code)));
}
