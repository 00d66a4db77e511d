// The front desk's back office: birthdays, history, the access log, a
// customer's requests (the printable copy, erasure) and backups. Loaded
// before app.js, which holds the helpers these call and starts the page.
"use strict";

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
