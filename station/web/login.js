// The log-in page: account and password, then the desk (inspectors) or the office (supervisors).
"use strict";

const preferred = localStorage.getItem("language") || (navigator.language || "es").slice(0, 2);
const start = preferred in I18N.locales ? preferred : "es";
document.getElementById("language").value = start;
I18N.load(start);

document.getElementById("language").addEventListener("change", (e) => {
  localStorage.setItem("language", e.target.value);
  I18N.load(e.target.value);
});

document.getElementById("login-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const error = document.getElementById("login-error");
  error.textContent = "";
  const answer = await Api.post("/api/session", {
    account: document.getElementById("account").value.trim(),
    password: document.getElementById("password").value,
  });
  document.getElementById("password").value = "";
  if (answer.status !== 200) {
    const key = { 401: "login.wrong", 403: "login.disabled", 429: "login.locked" }[answer.status] || "login.failed";
    error.textContent = I18N.say(answer.body.phrase, I18N.t(key));
    return;
  }
  sessionStorage.setItem("csrf", answer.body.csrf);
  location.href = answer.body.role === "inspector" ? "desk.html" : "office.html";
});
