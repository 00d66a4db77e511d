// The front desk's customer pages: the search, the card and the forms that
// change a customer. Loaded before app.js, which holds the helpers these
// call (t, h, api, field, view) and starts the page.
"use strict";

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
