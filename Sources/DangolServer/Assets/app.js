// The front desk's page. Texts come from the server's catalogue in the
// page's language (the JSON block in the page); data only ever enters the
// page through textContent and attributes, never as markup.
"use strict";

const S = JSON.parse(document.getElementById("strings").textContent);
const CSRF = document.querySelector('meta[name="dangol-csrf"]').content;
const main = document.getElementById("main");
let me = null;
const CONSENT_COLUMNS = ["web.consent.col_date", "web.consent.col_purpose", "web.consent.col_answer", "web.consent.col_version"];

function t(key, args) {
  let s = S[key] || key;
  for (const k in args || {}) s = s.split("{" + k + "}").join(String(args[k]));
  return s;
}

function h(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (k === "text") e.textContent = v;
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const k of kids.flat()) if (k !== null && k !== undefined && k !== false) e.append(k);
  return e;
}

function translate(root) {
  for (const e of root.querySelectorAll("[data-t]")) e.textContent = t(e.getAttribute("data-t"));
}

/** POSTs a form to the API; every call carries the CSRF token. */
async function api(name, data) {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(data || {})) {
    if (Array.isArray(v)) v.forEach((x) => body.append(k, x));
    else if (v !== undefined && v !== null) body.append(k, v);
  }
  const r = await fetch("/api/" + name, {
    method: "POST", body, cache: "no-store", credentials: "same-origin",
    headers: { "X-Dangol-CSRF": CSRF },
  });
  let j = {};
  try { j = await r.json(); } catch (_) { j = { error: t("web.error.failed") }; }
  if (r.status === 401 && j.locked) { signedOut(); }
  if (!r.ok) {
    const e = new Error(j.error || t("web.error.failed"));
    e.fields = j.fields || {};
    e.detail = j.detail;
    throw e;
  }
  return j;
}

/** Shows an error next to its fields, or at the top of the form. */
function showErrors(form, e) {
  for (const p of form.querySelectorAll(".err")) p.textContent = "";
  const top = form.querySelector(".err[data-for=form]");
  let placed = false;
  for (const [field, msg] of Object.entries(e.fields || {})) {
    const p = form.querySelector(`.err[data-for="${CSS.escape(field)}"]`);
    if (p) { p.textContent = msg; placed = true; }
  }
  if (top && (!placed || !Object.keys(e.fields || {}).length)) {
    top.textContent = e.message + (e.detail ? " (" + e.detail + ")" : "");
  }
}

function field(name, labelKey, attrs, hintText) {
  const input = attrs && attrs.tag === "textarea"
    ? h("textarea", Object.assign({ name, id: "f-" + name }, attrs, { tag: null }))
    : h("input", Object.assign({ name, id: "f-" + name, autocomplete: "off" }, attrs));
  return h("div", {}, h("label", { for: "f-" + name, text: t(labelKey) }), input,
    hintText ? h("p", { class: "hint", text: hintText }) : null,
    h("p", { class: "err", "data-for": name }));
}

function formData(form) {
  const out = {};
  for (const [k, v] of new FormData(form).entries()) {
    if (k in out) out[k] = [].concat(out[k], v); else out[k] = v;
  }
  return out;
}

function view(title, ...kids) {
  main.replaceChildren(h("h1", { text: title }), ...kids);
}

function today() {
  const d = new Date();
  const p = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

// ---------- signing in, the lock ----------

function signedOut() {
  me = null;
  // The next person starts at the search, not on the last one's page.
  history.replaceState(null, "", "#/search");
  document.getElementById("bar").hidden = true;
  main.replaceChildren();
  signin();
}

async function signin() {
  const s = await api("state");
  if (s.person) return signedIn(s);
  const box = h("div", { class: "signin panel" });
  const people = h("div", { class: "people" });
  const err = h("p", { class: "err", "data-for": "person" });
  for (const name of s.people) {
    people.append(h("button", { type: "button", class: "plain", text: name, onclick: () => pick(name) }));
  }
  box.append(h("h1", { text: t("web.signin.who") }), people, err);
  main.replaceChildren(box);

  async function pick(person) {
    try {
      const r = await api("signin", { person });
      if (!r.needPassphrase) return signedIn(r);
    } catch (e) { err.textContent = e.message; return; }
    const form = h("form", { class: "signin-pass" },
      h("p", { text: t("web.signin.for", { name: person }) }),
      field("passphrase", "web.signin.passphrase", { type: "password", autocomplete: "off", required: true }),
      h("p", { class: "err", "data-for": "form" }),
      h("div", { class: "actions" }, h("button", { type: "submit", text: t("web.signin.go") })));
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const input = form.querySelector("input[name=passphrase]");
      const passphrase = input.value;
      input.value = "";
      try { signedIn(await api("signin", { person, passphrase })); } catch (e) {
        e.fields = {}; showErrors(form, e); input.focus();
      }
    });
    box.replaceChildren(h("h1", { text: t("web.signin.who") }), form);
    form.querySelector("input").focus();
  }
}

function signedIn(s) {
  me = s;
  const bar = document.getElementById("bar");
  bar.hidden = false;
  document.getElementById("who").textContent = t(s.owner ? "web.who.owner" : "web.who.staff", { name: s.person });
  for (const a of bar.querySelectorAll("[data-needs]")) {
    const need = a.getAttribute("data-needs");
    a.hidden = need === "owner" ? !s.owner : !s.seesContacts;
  }
  if (!location.hash || location.hash === "#/") location.hash = "#/search"; else route();
}

document.getElementById("lock").addEventListener("click", async () => {
  try { await api("lock"); } finally { signedOut(); }
});

// The server locks by itself after the idle period; the page follows it
// (a poll that does not count as work).
setInterval(async () => {
  if (!me) return;
  try { const s = await api("state"); if (!s.person) signedOut(); } catch (_) { /* shown on next action */ }
}, 2000);

// ---------- routes ----------

const routes = {
  search: searchView, card: cardView, new: newView, visit: visitView, edit: editView, consent: consentView,
  birthdays: birthdaysView, history: historyView, activity: activityView, audit: auditView,
  request: requestView, print: printView, backup: backupView,
};

function route() {
  if (!me) return;
  const [, name, id] = location.hash.split("/");
  for (const a of document.querySelectorAll("nav a")) a.classList.toggle("here", a.getAttribute("href") === "#/" + name);
  const f = routes[name] || searchView;
  Promise.resolve(f(id)).catch((e) => view(t("web.error.title"), h("p", { class: "err", text: e.message })));
}
window.addEventListener("hashchange", route);

// ---------- start ----------

translate(document);
signin().catch((e) => { main.replaceChildren(h("p", { class: "err", text: e.message })); });
