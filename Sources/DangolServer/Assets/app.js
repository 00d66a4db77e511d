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

// ---------- search ----------

let searchSeq = 0;
function searchView() {
  const q = h("input", { id: "q", type: "search", autocomplete: "off", spellcheck: "false",
    placeholder: t("web.search.placeholder"), "aria-label": t("web.nav.search") });
  const list = h("ul", { class: "results", id: "results" });
  const status = h("p", { class: "muted", id: "search-status" });
  let rows = [];
  let sel = 0;
  view(t("web.search.title"), q, h("p", { class: "hint", text: t("web.search.hint") }), status, list);
  q.focus();

  function render(r, seq) {
    rows = r.rows;
    sel = 0;
    list.replaceChildren(...rows.map((row, i) => h("li", {}, h("a", { href: "#/card/" + row.id, class: i === 0 ? "sel" : null },
      h("span", { class: "name", text: row.name }), h("span", { text: row.phone }),
      h("span", { class: "muted", text: row.lastVisit ? t("web.search.last_visit", { date: row.lastVisit }) : "" }),
      row.warn ? h("span", { class: "badge warn", text: t("web.card.allergy_badge") }) : h("span")))));
    status.textContent = r.problem ? t("web.search.problem", { detail: r.problem })
      : q.value.trim() && !rows.length ? t("web.search.none") : r.more ? t("web.search.more", { n: rows.length }) : "";
    // Keystroke to rendered results, for the benchmark (Performance API).
    requestAnimationFrame(() => {
      try { performance.measure("dangol-search", "dangol-key-" + seq); } catch (_) { /* mark dropped */ }
      performance.clearMarks("dangol-key-" + seq);
      list.setAttribute("data-seq", String(seq));
    });
  }

  q.addEventListener("input", async () => {
    const seq = ++searchSeq;
    performance.mark("dangol-key-" + seq);
    const text = q.value.trim();
    if (!text) { render({ rows: [] }, seq); return; }
    try {
      const r = await api("search", { q: text });
      if (seq === searchSeq) render(r, seq);
    } catch (e) { status.textContent = e.message; }
  });
  q.addEventListener("keydown", (ev) => {
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      ev.preventDefault();
      sel = Math.max(0, Math.min(rows.length - 1, sel + (ev.key === "ArrowDown" ? 1 : -1)));
      list.querySelectorAll("a").forEach((a, i) => a.classList.toggle("sel", i === sel));
    } else if (ev.key === "Enter" && rows[sel]) {
      location.hash = "#/card/" + rows[sel].id;
    }
  });
}

// ---------- the card ----------

async function cardView(id) {
  const c = await api("card", { id });
  performance.mark("dangol-card-shown");
  const kids = [];
  if (c.allergies.length || c.reactions.length) {
    kids.push(h("div", { class: "alert", role: "alert", id: "card-alert" },
      c.allergies.length ? h("strong", { text: t("web.card.allergies", { list: c.allergies.join(", ") }) }) : null,
      ...c.reactions.map((r) => h("div", { text: t("web.card.reaction", { date: r.date, text: r.text }) }))));
  }
  if (c.lastFormula) {
    kids.push(h("div", { class: "formula" }, h("strong", { text: t("web.card.last_formula") }), " ",
      h("span", { id: "last-formula", text: c.lastFormula.formula }),
      h("span", { class: "muted", text: " (" + c.lastFormula.date + ")" })));
  }
  const phone = h("span", { id: "phone", text: c.phone || "—" });
  const reveal = c.hasPhone && c.canReveal ? h("button", { type: "button", class: "plain", id: "reveal",
    text: t("web.card.reveal"), onclick: async () => {
      try { phone.textContent = (await api("reveal", { id })).phone; reveal.remove(); } catch (e) { phone.textContent = e.message; }
    } }) : null;
  kids.push(h("div", { class: "actions" },
    h("a", { class: "button", href: "#/visit/" + id, text: t("web.card.add_visit") }),
    h("a", { class: "button plain", href: "#/edit/" + id, text: t("web.card.edit") }),
    h("a", { class: "button plain", href: "#/consent/" + id, text: t("web.card.consent") }),
    h("a", { class: "button plain", href: "#/history/" + id, id: "to-history", text: t("web.card.history") }),
    me.owner ? h("a", { class: "button plain", href: "#/request/" + id, id: "to-request", text: t("web.card.requests") }) : null));
  const facts = h("dl", { class: "facts" },
    h("dt", { text: t("web.field.phone") }), h("dd", {}, phone, " ", reveal),
    ...[["web.field.birthday", c.birthday], ["web.field.email", c.email], ["web.field.note", c.note], ["web.field.created", c.created]]
      .filter(([, v]) => v).flatMap(([k, v]) => [h("dt", { text: t(k) }), h("dd", { text: v })]),
    ...Object.entries(c.extra).flatMap(([k, v]) => [h("dt", { text: k }), h("dd", { text: v })]));
  kids.push(h("div", { class: "panel" }, facts));
  kids.push(h("h2", { text: t("web.card.visits", { n: c.visits.length }) }));
  kids.push(c.visits.length ? h("table", { id: "visits" },
    h("tr", {}, ...["web.field.date", "web.field.services", "web.field.formula", "web.field.price", "web.field.note"].map((k) => h("th", { text: t(k) }))),
    ...c.visits.map((v) => h("tr", {}, h("td", { text: v.date }), h("td", { text: v.services.join(", ") }),
      h("td", { text: v.formula }), h("td", { text: v.price === null || v.price === undefined ? "" : t("web.won", { n: v.price.toLocaleString() }) }),
      h("td", { text: [v.note, v.reaction ? t("web.card.reaction_short", { text: v.reaction }) : ""].filter(Boolean).join(" · ") }))))
    : h("p", { class: "muted", text: t("web.card.no_visits") }));
  kids.push(h("h2", { text: t("web.card.consents") }));
  kids.push(h("p", {}, ...c.consentNow.map((x) =>
    h("span", { class: "badge " + (x.yes ? "ok" : "no"), text: c.purposeLabels[x.purpose] + " " + (x.yes ? "✓" : "—") }))));
  kids.push(c.consents.length ? h("table", { id: "consents" },
    h("tr", {}, ...CONSENT_COLUMNS.map((k) => h("th", { text: t(k) }))),
    ...c.consents.map((e) => h("tr", {}, h("td", { text: e.date }), h("td", { text: e.label }),
      h("td", { text: t(e.granted ? "web.consent.yes" : "web.consent.no") }), h("td", { text: e.version }))))
    : h("p", { class: "muted", text: t("web.card.no_consents") }));
  view(c.name, ...kids);
  requestAnimationFrame(() => { try { performance.measure("dangol-card", "dangol-card-open", "dangol-card-shown"); } catch (_) { /* no start */ } });
}
window.addEventListener("hashchange", () => { if (location.hash.startsWith("#/card/")) performance.mark("dangol-card-open"); });

// ---------- forms that change a customer ----------

function formView(title, fields, submitKey, send, after) {
  const form = h("form", { novalidate: true }, ...fields, h("p", { class: "err", "data-for": "form" }),
    h("div", { class: "actions" }, h("button", { type: "submit", text: t(submitKey) }),
      h("button", { type: "button", class: "plain", text: t("web.form.cancel"), onclick: () => history.back() })));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try { after(await send(formData(form))); } catch (e) { showErrors(form, e); } finally { button.disabled = false; }
  });
  view(title, form);
  const first = form.querySelector("input, textarea");
  if (first) first.focus();
  return form;
}

/** Points out, before saving, a phone number another customer holds. */
function watchPhone(form, exceptID) {
  const input = form.querySelector("input[name=phone]");
  const note = h("p", { class: "note", id: "phone-holder", hidden: true });
  input.parentElement.append(note);
  let seq = 0;
  input.addEventListener("input", async () => {
    const mine = ++seq;
    const digits = input.value.replace(/\D/g, "");
    if (digits.length < 9) { note.hidden = true; return; }
    const r = await api("phone-check", { phone: input.value, id: exceptID });
    if (mine !== seq) return;
    note.hidden = !r.holders.length;
    note.replaceChildren(...(r.holders.length ? [t("web.form.phone_held"), " ",
      ...r.holders.map((x) => h("a", { href: "#/card/" + x.id, text: x.name }))] : []));
  });
}

function newView() {
  const form = formView(t("web.new.title"), [
    h("div", { class: "grid2" }, field("name", "web.field.name", { required: true }),
      field("phone", "web.field.phone", { inputmode: "tel", placeholder: "010-1234-5678" })),
    h("div", { class: "grid2" }, field("birthday", "web.field.birthday", { placeholder: "03-14" }, t("web.form.birthday_hint")),
      field("email", "web.field.email", { type: "email" })),
    field("allergies", "web.field.allergies", {}, t("web.form.allergies_hint")),
    field("note", "web.field.note", { tag: "textarea" }),
  ], "web.form.save", (d) => api("add", d), (r) => { location.hash = "#/card/" + r.id; });
  watchPhone(form);
}

async function visitView(id) {
  const c = await api("card", { id });
  formView(t("web.visit.title", { name: c.name }), [
    c.allergies.length ? h("div", { class: "alert", text: t("web.card.allergies", { list: c.allergies.join(", ") }) }) : null,
    h("input", { type: "hidden", name: "id", value: id }),
    h("div", { class: "grid2" }, field("date", "web.field.date", { type: "date", value: today() }),
      field("service", "web.field.services", { placeholder: t("web.visit.services_example") }, t("web.visit.services_hint"))),
    h("div", { class: "grid2" }, field("formula", "web.field.formula", { value: c.lastFormula ? c.lastFormula.formula : "" }),
      field("price", "web.field.price", { inputmode: "numeric" })),
    h("div", { class: "grid2" }, field("stylist", "web.field.stylist", { value: me.person }),
      field("reaction", "web.field.reaction", {})),
    field("note", "web.field.note", { tag: "textarea" }),
  ], "web.form.save", (d) => api("visit", d), () => { location.hash = "#/card/" + id; });
}

async function editView(id) {
  const c = await api("card", { id });
  const form = formView(t("web.edit.title", { name: c.name }), [
    h("input", { type: "hidden", name: "id", value: id }),
    h("div", { class: "grid2" }, field("name", "web.field.name", { value: c.name }),
      field("phone", "web.field.phone", { inputmode: "tel", placeholder: c.phone }, t("web.edit.keep_hint"))),
    h("div", { class: "grid2" }, field("birthday", "web.field.birthday", me.seesContacts ? { value: c.birthday, placeholder: "03-14" } : { placeholder: c.birthday }, t("web.form.birthday_hint")),
      field("email", "web.field.email", { type: "email", value: c.email })),
    field("allergies", "web.field.allergies", { value: c.allergies.join(", ") }, t("web.form.allergies_hint")),
    field("note", "web.field.note", { tag: "textarea" }),
  ], "web.form.save", (d) => api("edit", d), () => { location.hash = "#/card/" + id; });
  form.querySelector("textarea[name=note]").value = c.note;
  watchPhone(form, id);
}

async function consentView(id) {
  const c = await api("card", { id });
  const lang = h("select", { name: "lang", id: "f-lang" }, h("option", { value: "ko", text: "한국어" }), h("option", { value: "en", text: "English" }));
  lang.value = document.documentElement.lang === "en" ? "en" : "ko";
  const texts = h("div", { id: "consent-texts" });
  const form = formView(t("web.consent.title", { name: c.name }), [
    h("input", { type: "hidden", name: "id", value: id }),
    h("label", { for: "f-lang", text: t("web.consent.language") }), lang, texts,
    h("p", { class: "err", "data-for": "consent" }),
  ], "web.consent.record", (d) => api("consent", d), () => { location.hash = "#/card/" + id; });
  async function load() {
    const ct = await api("consent-text", { lang: lang.value });
    texts.replaceChildren(h("input", { type: "hidden", name: "version", value: ct.version }),
      h("p", { class: "note", id: "consent-version", text: t("web.consent.version", { version: ct.version }) }),
      ...ct.purposes.map((p) => h("div", {}, h("h2", { text: p.label }), h("div", { class: "consent-text", text: p.text }),
        h("div", { class: "choice" }, ...["yes", "no", ""].map((v) => h("label", {},
          h("input", { type: "radio", name: "p_" + p.purpose, value: v, checked: v === "" ? true : null }),
          t(v === "yes" ? "web.consent.yes" : v === "no" ? "web.consent.no" : "web.consent.unchanged")))))));
  }
  lang.addEventListener("change", load);
  await load();
  return form;
}

// ---------- birthdays ----------

async function birthdaysView(month) {
  const r = await api("birthdays", { month });
  const pick = h("select", { id: "month", onchange: () => { location.hash = "#/birthdays/" + pick.value; } },
    ...Array.from({ length: 12 }, (_, i) => h("option", { value: String(i + 1), text: t("web.birthdays.month", { n: i + 1 }) })));
  pick.value = String(r.month);
  // A fetch, not a form: with no referrer, a form's POST says "Origin: null",
  // which the server refuses like any other origin.
  const csv = me.owner ? h("div", { class: "no-print" },
    h("button", { type: "button", id: "csv", text: t("web.birthdays.csv"), onclick: async () => {
      const res = await fetch("/download/birthdays.csv", { method: "POST", cache: "no-store", credentials: "same-origin",
        headers: { "X-Dangol-CSRF": CSRF }, body: new URLSearchParams({ month: String(r.month) }) });
      if (!res.ok) return;
      const url = URL.createObjectURL(await res.blob());
      const a = h("a", { href: url, download: `birthdays-${String(r.month).padStart(2, "0")}.csv` });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } }),
    h("p", { class: "hint", text: t("web.birthdays.csv_hint") })) : null;
  view(t("web.birthdays.title"), h("div", { class: "actions" }, pick), h("p", { class: "hint", text: t("web.birthdays.only_consenting") }),
    r.rows.length ? h("table", { id: "birthday-list" },
      h("tr", {}, ...["web.field.name", "web.field.birthday", "web.field.phone"].map((k) => h("th", { text: t(k) }))),
      ...r.rows.map((x) => h("tr", {}, h("td", {}, h("a", { href: "#/card/" + x.id, text: x.name })),
        h("td", { text: x.birthday }), h("td", { text: x.phone }))))
      : h("p", { class: "muted", text: t("web.birthdays.none") }), csv);
}

// ---------- history ----------

/** A visit or consent added as a whole shows as its few facts, not JSON. */
function brief(value) {
  if (!value || value[0] !== "{") return value;
  try {
    const o = JSON.parse(value);
    return [o.date, (o.services || []).join(", "), o.formula, o.purpose, o.granted === undefined ? "" : (o.granted ? "✓" : "✗"),
      o.note, o.reaction].filter(Boolean).join(" · ");
  } catch (_) { return value; }
}

function changeLine(c) {
  if (c.kind === "added") return "+ " + c.label + ": " + brief(c.new);
  if (c.kind === "removed") return "− " + c.label + ": " + brief(c.old);
  return "~ " + c.label + ": " + brief(c.old) + " → " + brief(c.new);
}

async function historyView(id) {
  const [c, r] = [await api("card", { id }), await api("history", { id })];
  const list = h("ol", { class: "timeline", id: "timeline" }, ...r.versions.map((v) => h("li", {},
    h("strong", { text: v.date }), " · ", h("span", { text: v.author }),
    v.current ? h("span", { class: "badge ok", text: t("web.history.current") }) : null,
    v.created ? h("p", { class: "muted", text: t("web.history.created") }) : null,
    h("ul", {}, ...v.changes.map((ch) => h("li", { class: "change", text: changeLine(ch) }))),
    !v.current && !v.removed ? h("button", { type: "button", class: "plain restore", "data-commit": v.commit,
      text: t("web.history.restore"), onclick: async (ev) => {
        if (!confirm(t("web.history.restore_confirm", { date: v.date }))) return;
        ev.target.disabled = true;
        await api("restore", { id, commit: v.commit });
        historyView(id);
      } }) : null)));
  view(t("web.history.title", { name: c.name }), list);
}

async function activityView() {
  const r = await api("activity");
  view(t("web.activity.title"), h("table", { id: "activity" },
    h("tr", {}, ...["web.activity.when", "web.activity.who", "web.activity.what", "web.activity.summary"].map((k) => h("th", { text: t(k) }))),
    ...r.entries.map((e) => h("tr", {}, h("td", { text: e.date }), h("td", { text: e.author }),
      h("td", { text: e.label }), h("td", { class: "muted", text: e.summary })))));
}

// ---------- the access log (owner) ----------

async function auditView(month) {
  const r = await api("audit", { month });
  const ok = !r.verified.problems.length;
  view(t("web.audit.title"),
    h("div", { class: ok ? "panel" : "alert", id: "audit-verified" },
      h("strong", { text: ok ? t("web.audit.verified", { n: r.verified.entries, files: r.verified.files }) : t("web.audit.broken") }),
      ...r.verified.problems.map((p) => h("div", { text: p }))),
    h("h2", { text: t("web.audit.review", { month: r.month }) }),
    h("table", { id: "audit-review" },
      h("tr", {}, ...["web.audit.col_person", "web.audit.col_reads", "web.audit.col_changes", "web.audit.col_exports",
        "web.audit.col_erasures", "web.audit.col_customers", "web.audit.col_outside", "web.audit.col_unusual"].map((k) => h("th", { text: t(k) }))),
      ...r.review.map((p) => h("tr", {}, ...[p.person, p.reads, p.changes, p.exports, p.erasures, p.customers, p.outsideHours,
        p.unusualDays.join(", ")].map((x) => h("td", { text: String(x) }))))),
    h("h2", { text: t("web.audit.entries") }),
    h("table", { id: "audit-entries" },
      h("tr", {}, ...["web.audit.col_time", "web.audit.col_person", "web.audit.col_action", "web.audit.col_records"].map((k) => h("th", { text: t(k) }))),
      ...r.entries.map((e) => h("tr", {}, h("td", { text: e.time }), h("td", { text: e.person }),
        h("td", { text: e.label }), h("td", { text: String(e.records) })))));
}

// ---------- a customer's requests: the copy, erasure (owner) ----------

async function requestView(id) {
  const c = await api("card", { id });
  const form = h("form", { id: "erase-form", novalidate: true },
    h("p", { text: t("web.erase.explain") }),
    field("confirm", "web.erase.type_name", {}, t("web.erase.type_hint", { name: c.name })),
    field("reason", "web.erase.reason", { value: t("web.erase.reason_default", { date: today() }) }),
    h("p", { class: "err", "data-for": "form" }),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "danger", id: "erase", text: t("web.erase.go") })));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const d = formData(form);
    d.id = id;
    try { receiptView(await api("erase", d)); } catch (e) { showErrors(form, e); }
  });
  const pending = (await api("requests", { id })).open;
  const record = (kind) => async () => { await api("request", { id, kind }); requestView(id); };
  view(t("web.request.title", { name: c.name }),
    h("div", { class: "panel", id: "open-requests" }, h("h2", { text: t("web.request.received") }),
      pending.length ? h("ul", {}, ...pending.map((r) => h("li", { class: r.overdue ? "err" : null,
        text: t("web.request.open_line", { kind: r.label, received: r.received, due: r.due }) })))
        : h("p", { class: "muted", text: t("web.request.none_open") }),
      h("div", { class: "actions" },
        h("button", { type: "button", class: "plain", id: "record-access", text: t("web.request.record_access"), onclick: record("access") }),
        h("button", { type: "button", class: "plain", id: "record-erasure", text: t("web.request.record_erasure"), onclick: record("erasure") }),
        h("button", { type: "button", class: "plain", text: t("web.request.record_correction"), onclick: record("correction") }),
        h("button", { type: "button", class: "plain", text: t("web.request.record_restriction"), onclick: record("restriction") })),
      h("p", { class: "hint", text: t("web.request.answer_hint") })),
    h("div", { class: "panel" }, h("h2", { text: t("web.request.copy") }), h("p", { text: t("web.request.copy_explain") }),
      h("a", { class: "button", id: "to-print", href: "#/print/" + id, text: t("web.request.print") })),
    h("div", { class: "panel" }, h("h2", { text: t("web.request.erase") }), form));
}

function receiptView(r) {
  view(t("web.receipt.title"),
    h("div", { class: r.verified ? "panel" : "alert", id: "receipt" }, h("dl", { class: "facts" },
      ...[["web.receipt.erasure", r.erasure], ["web.receipt.date", r.date], ["web.receipt.person", r.person],
        ["web.receipt.reason", r.reason], ["web.receipt.records", r.records.join(" ")],
        ["web.receipt.commits", String(r.commitsRewritten)], ["web.receipt.objects", String(r.objectsRemoved)],
        ["web.receipt.verification", r.verified ? t("web.receipt.clean", { n: r.objectsScanned }) : t("web.receipt.remnants", { n: r.remnants })]]
        .flatMap(([k, v]) => [h("dt", { text: t(k) }), h("dd", { text: v })]))),
    h("div", { class: "actions" }, h("button", { type: "button", text: t("web.print.print"), onclick: () => window.print() })));
}

async function printView(id) {
  const r = await api("print", { id });
  const x = r.copy;
  const rec = x.record;
  const facts = [["web.field.name", rec.name], ["web.field.phone", rec.phone], ["web.field.email", rec.email],
    ["web.field.birthday", rec.birthday], ["web.field.note", rec.note], ["web.field.allergies", (rec.allergies || []).join(", ")],
    ["web.field.created", rec.created]].filter(([, v]) => v);
  view(t("web.print.title"),
    h("p", { class: "salon", id: "salon", text: r.salon || t("web.print.no_salon") }),

    h("p", { text: t("web.print.intro") }),
    h("p", { class: "muted", text: t("web.print.made", { date: r.today, id: x.id }) }),
    h("h2", { text: t("web.print.details") }),
    h("table", {}, ...facts.map(([k, v]) => h("tr", {}, h("th", { text: t(k) }), h("td", { text: v })))),
    h("h2", { text: t("web.print.visits") }),
    (rec.visits || []).length ? h("table", {}, h("tr", {}, ...["web.field.date", "web.field.services", "web.field.formula", "web.field.price", "web.field.note",
      "web.field.reaction"].map((k) => h("th", { text: t(k) }))),
      ...rec.visits.map((v) => h("tr", {}, h("td", { text: v.date }), h("td", { text: (v.services || []).join(", ") }),
        h("td", { text: v.formula || "" }), h("td", { text: v.price === undefined ? "" : t("web.won", { n: Number(v.price).toLocaleString() }) }),
        h("td", { text: v.note || "" }), h("td", { text: v.reaction || "" })))) : h("p", { text: t("web.print.none") }),
    h("h2", { text: t("web.print.consents") }),
    (rec.consents || []).length ? h("table", {}, h("tr", {}, ...CONSENT_COLUMNS.map((k) => h("th", { text: t(k) }))),
      ...rec.consents.map((e) => h("tr", {}, h("td", { text: e.date }), h("td", { text: r.purposeLabels[e.purpose] || e.purpose }),
        h("td", { text: t(e.granted ? "web.consent.yes" : "web.consent.no") }), h("td", { text: e.text_version })))) : h("p", { text: t("web.print.none") }),
    h("h2", { text: t("web.print.history") }),
    h("table", {}, ...(x.history || []).map((e) => h("tr", {}, h("td", { text: e.date }), h("td", { text: e.author }), h("td", { text: e.summary || "" })))),
    h("div", { class: "actions" }, h("button", { type: "button", id: "print", text: t("web.print.print"), onclick: () => window.print() })));
  main.prepend(document.getElementById("salon"));
}

// ---------- backups ----------

async function backupView() {
  const r = await api("backup");
  const out = h("p", { id: "push-result", class: "note", hidden: true });
  view(t("web.backup.title"),
    r.remotes.length ? h("table", { id: "remotes" },
      h("tr", {}, ...["web.backup.col_name", "web.backup.col_where", "web.backup.col_last", "web.backup.col_behind",
        "web.backup.col_auto", ""].map((k) => h("th", { text: k ? t(k) : "" }))),
      ...r.remotes.map((x) => h("tr", {}, h("td", { text: x.name }), h("td", { class: "muted", text: x.url }),
        h("td", { text: x.lastPush || t("web.backup.never") }),
        h("td", { text: x.rewritten.length ? t("web.backup.rewritten") : x.ahead === null || x.ahead === undefined ? "?" : String(x.ahead) }),
        h("td", { text: x.autoPush ? "✓" : "" }),
        h("td", {}, h("button", { type: "button", text: t("web.backup.push"), onclick: async (ev) => {
          ev.target.disabled = true;
          out.hidden = false;
          out.textContent = t("web.backup.pushing");
          try {
            const p = await api("push", { remote: x.name });
            out.textContent = t("web.backup.pushed", { name: p.remote, n: p.pushed });
          } catch (e) { out.textContent = e.message + (e.detail ? " (" + e.detail + ")" : ""); }
          ev.target.disabled = false;
        } })))))
      : h("p", { class: "muted", text: t("web.backup.none") }), out);
}

// ---------- start ----------

translate(document);
signin().catch((e) => { main.replaceChildren(h("p", { class: "err", text: e.message })); });
