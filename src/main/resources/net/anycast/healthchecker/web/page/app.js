// The status page: reads /api/v1/status, follows /api/v1/events, drains through the API.
// Plain JavaScript, no libraries; every text from the daemon goes in through textContent.
"use strict";

const state = { status: null, pending: null, events: [], dialog: null };
const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v; else e.setAttribute(k, v);
  }
  for (const c of children) {
    if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
  }
  return e;
}

function ago(iso, now) {
  if (!iso) return "never";
  const s = Math.max(0, Math.round((Date.parse(now) - Date.parse(iso)) / 1000));
  if (s < 60) return s + "s ago";
  if (s < 3600) return Math.floor(s / 60) + "m " + (s % 60) + "s ago";
  if (s < 86400) return Math.floor(s / 3600) + "h " + Math.floor((s % 3600) / 60) + "m ago";
  return Math.floor(s / 86400) + "d " + Math.floor((s % 86400) / 3600) + "h ago";
}

async function refresh() {
  state.pending = null;
  try {
    const r = await fetch("/api/v1/status", { cache: "no-store" });
    if (!r.ok) throw new Error("HTTP " + r.status);
    state.status = await r.json();
    render();
  } catch (e) {
    $("daemon").textContent = "cannot read the status: " + e.message;
  }
}

function refreshSoon() {
  if (state.pending === null) state.pending = setTimeout(refresh, 150);
}

function render() {
  const s = state.status;
  const d = s.daemon;
  $("daemon").textContent = "version " + d.version + " · pid " + d.pid + " · up " +
    ago(d.started, d.now).replace(" ago", "") +
    (d.last_reload ? " · last reload " + ago(d.last_reload.at, d.now) +
      (d.last_reload.ok ? "" : " (failed)") : "") +
    (d.stopping ? " · stopping (" + d.stopping + ")" : "");
  const fams = $("families");
  fams.replaceChildren(...s.families.map((f) => {
    const st = f.in_sync ? "in-sync" : (f.last_error ? "failing" : "pending");
    const last = f.last_reconfigure;
    return el("li", { "data-family": f.family },
      el("strong", {}, f.family), " ",
      el("span", { class: "state-" + st }, st.replace("-", " ")), " · ",
      f.applied.length + " announced, " + f.desired.length + " wanted · last reconfigure " +
        (last ? ago(last.at, d.now) + " (" + last.result + ")" : "never"),
      f.last_error ? el("div", { class: "error" }, f.last_error) : null);
  }));
  const counts = {};
  for (const svc of s.services) counts[svc.health] = (counts[svc.health] || 0) + 1;
  const drained = s.services.filter((x) => x.drain).length;
  $("counts").textContent = "(" + s.services.length + ": " +
    Object.entries(counts).map(([h, n]) => n + " " + h).join(", ") +
    (drained ? ", " + drained + " drained" : "") + ")";
  // Redrawn whole; keyboard focus on a row's button is put back on its successor.
  const focused = document.activeElement && document.activeElement.closest("tr[data-service]");
  const focusedName = focused ? focused.dataset.service : null;
  const body = $("services").tBodies[0];
  body.replaceChildren(...s.services.map((svc) => row(svc, d.now)));
  if (focusedName !== null) {
    for (const tr of body.rows) {
      if (tr.dataset.service === focusedName) tr.querySelector("button").focus();
    }
  }
}

function row(svc, now) {
  const c = svc.last_check;
  const checkText = c
    ? c.result + " in " + Math.round(c.duration_seconds * 1000) + " ms, " + ago(c.started, now) +
      (c.exit_code !== null && c.exit_code !== 0 ? " (exit " + c.exit_code + ")" : "")
    : (svc.check_disabled ? "disabled" : "not yet");
  const progress = svc.health === "up" && svc.fall.streak > 0
    ? " (failing " + svc.fall.streak + "/" + svc.fall.needed + ")"
    : (svc.health !== "up" && svc.rise.streak > 0
      ? " (rising " + svc.rise.streak + "/" + svc.rise.needed + ")" : "");
  const drainCell = svc.drain
    ? el("span", { class: "drained" }, "drained" + (svc.drain.name === "all" ? " (all)" : ""),
        el("br"), svc.drain.reason,
        svc.drain.expires ? el("span", { class: "muted" }, " until " +
          new Date(svc.drain.expires).toLocaleString()) : null)
    : el("span", { class: "muted" }, "no");
  const action = svc.drain && svc.drain.name !== "all"
    ? el("button", { type: "button", "data-action": "undrain" }, "Undrain")
    : el("button", { type: "button", "data-action": "drain" }, "Drain");
  action.addEventListener("click", () =>
    openDialog(action.dataset.action, svc.name));
  const output = c && c.output ? el("pre", { class: "output" }, c.output) : null;
  return el("tr", { "data-service": svc.name, "data-health": svc.health },
    el("td", { "data-label": "Service" }, el("strong", {}, svc.name)),
    el("td", { "data-label": "Health" },
      el("span", { class: "health health-" + svc.health }, svc.health), progress),
    el("td", { "data-label": "Drain", class: "drain" }, drainCell),
    el("td", { "data-label": "Prefixes", class: "prefixes" }, svc.prefixes.join(", ")),
    el("td", { "data-label": "At BIRD", class: "bird" },
      el("span", { class: svc.announced ? "yes" : "no" },
        svc.announced ? "announced" : "withdrawn"),
      svc.fleet_held && svc.fleet_held.length
        ? el("span", { class: "held", title: "too few other nodes announce it; asking again" },
            " (held by the fleet valve)")
        : null),
    el("td", { "data-label": "Last check" }, checkText, output),
    el("td", { "data-label": "Changed" }, ago(svc.last_change, now)),
    el("td", {}, action));
}

function openDialog(action, service) {
  const all = service === null;
  state.dialog = { action, service };
  const draining = action === "drain";
  $("dialog-title").textContent = (draining ? "Drain " : "Undrain ") +
    (all ? "every service" : service);
  $("dialog-what").textContent = draining
    ? "Withdraws the route" + (all ? "s of every service" : "") + " until undrained or expired."
    : "Lets health checks decide again.";
  $("reason-row").classList.toggle("hidden", !draining);
  $("expires-row").classList.toggle("hidden", !draining);
  $("reason").required = draining;
  $("dialog-ok").textContent = draining ? "Drain" : "Undrain";
  $("dialog-error").textContent = "";
  const saved = sessionStorage.getItem("token") || "";
  $("token").value = saved;
  $("dialog").showModal();
  (saved ? (draining ? $("reason") : $("dialog-ok")) : $("token")).focus();
}

async function submitDialog(ev) {
  ev.preventDefault();
  const { action, service } = state.dialog;
  const token = $("token").value.trim();
  const url = service === null ? "/api/v1/drain"
    : "/api/v1/services/" + encodeURIComponent(service) + "/drain";
  const init = { method: action === "drain" ? "PUT" : "DELETE",
    headers: { "Authorization": "Bearer " + token } };
  if (action === "drain") {
    const body = { reason: $("reason").value };
    if ($("expires").value.trim()) body.expires = $("expires").value.trim();
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  try {
    const r = await fetch(url, init);
    if (!r.ok) {
      const err = await r.json().catch(() => ({ error: "HTTP " + r.status }));
      $("dialog-error").textContent = err.error || ("HTTP " + r.status);
      if (r.status === 401 || r.status === 403) sessionStorage.removeItem("token");
      return;
    }
    sessionStorage.setItem("token", token);
    $("reason").value = "";
    $("expires").value = "";
    $("dialog").close();
    refreshSoon();
  } catch (e) {
    $("dialog-error").textContent = "cannot reach the daemon: " + e.message;
  }
}

function logEvent(type, data) {
  let text = type;
  try {
    const d = JSON.parse(data);
    if (type === "health") text = d.service + ": " + d.from + " → " + d.to;
    else if (type === "drain") text = "drained " + d.name + ": " + d.reason;
    else if (type === "undrain") text = "undrained " + d.name;
    else if (type === "reconfigure") text = d.family + " reconfigure " + d.result +
      (d.error ? ": " + d.error : "");
    else if (type === "bird") text = d.family + (d.in_sync ? " in sync" : " not in sync") +
      " (" + d.applied + " announced)";
    else if (type === "services") text = "services changed: +" + d.added.length + " −" +
      d.removed.length;
    else if (type === "stopping") text = "daemon stopping (" + d.on_shutdown + ")";
  } catch (e) { /* keep the type */ }
  state.events.unshift(new Date().toLocaleTimeString() + "  " + text);
  state.events.length = Math.min(state.events.length, 20);
  $("events").replaceChildren(...state.events.map((t) => el("li", {}, t)));
}

function follow() {
  const source = new EventSource("/api/v1/events");
  source.onopen = () => {
    $("live").textContent = "live";
    $("live").className = "live on";
    refreshSoon();
  };
  source.onerror = () => {
    $("live").textContent = "reconnecting…";
    $("live").className = "live off";
  };
  for (const type of ["health", "drain", "undrain", "reconfigure", "bird", "services",
    "stopping", "resync"]) {
    source.addEventListener(type, (ev) => {
      if (type !== "resync") logEvent(type, ev.data);
      refreshSoon();
    });
  }
}

document.addEventListener("DOMContentLoaded", () => {
  $("dialog-form").addEventListener("submit", submitDialog);
  $("dialog-cancel").addEventListener("click", () => $("dialog").close());
  $("drain-all").addEventListener("click", () => openDialog("drain", null));
  $("undrain-all").addEventListener("click", () => openDialog("undrain", null));
  refresh();
  follow();
  // Ages ("5s ago") move on even when nothing happens.
  setInterval(() => { if (state.status) refresh(); }, 10000);
});
