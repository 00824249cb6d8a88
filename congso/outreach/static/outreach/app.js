// The community digital team's app: the member's households kept on the phone, visits recorded offline in a
// queue, sent when the network returns (the `online` event, a retry timer, or the Sync button). Every record
// carries a UUID made here, so sending twice is harmless: the server keeps one copy.
(function () {
  "use strict";
  var root = document.getElementById("outreach-root");
  var appEl = document.getElementById("outreach-app");
  if (!root || !appEl || !window.fetch || !window.localStorage || !window.JSON) { return; }
  var T = JSON.parse(document.getElementById("outreach-strings").textContent);
  var API = root.getAttribute("data-api");
  var PREFIX = "outreach:v1:" + root.getAttribute("data-user") + ":";
  var view = document.getElementById("app-view");
  var pendingEl = document.getElementById("pending-count");
  var netEl = document.getElementById("net-state");
  var messageEl = document.getElementById("sync-message");
  var syncButton = document.getElementById("sync-button");
  var RETRY_MS = 30000;
  var BATCH = 100;

  // --- storage ---------------------------------------------------------------------------------------------
  function load(key, fallback) {
    try {
      var raw = localStorage.getItem(PREFIX + key);
      return raw === null ? fallback : JSON.parse(raw);
    } catch (e) { return fallback; }
  }
  function save(key, value) { localStorage.setItem(PREFIX + key, JSON.stringify(value)); }

  var state = {
    me: load("me", null),
    households: load("households", {}),
    cursor: load("cursor", ""),
    queue: load("queue", []),
    failed: load("failed", []),
    lastSync: load("lastSync", null),
    hamlet: load("hamlet", null),
    csrf: null,
    syncing: false,
    again: false,
    screen: "list",
    current: null,
    query: ""
  };
  function persist() {
    save("households", state.households);
    save("cursor", state.cursor);
    save("queue", state.queue);
    save("failed", state.failed);
    save("lastSync", state.lastSync);
    save("hamlet", state.hamlet);
  }

  // --- helpers ---------------------------------------------------------------------------------------------
  function fold(text) {
    return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D")
      .replace(/\s+/g, " ").trim().toLowerCase();
  }
  function uuid4() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") { node.textContent = attrs[key]; }
      else if (key === "className") { node.className = attrs[key]; }
      else if (attrs[key] === true) { node.setAttribute(key, ""); }
      else if (attrs[key] !== false && attrs[key] !== null && attrs[key] !== undefined) { node.setAttribute(key, attrs[key]); }
    });
    (children || []).forEach(function (child) { if (child) { node.appendChild(child); } });
    return node;
  }
  function formatDate(iso) {
    var d = new Date(iso);
    return ("0" + d.getDate()).slice(-2) + "/" + ("0" + (d.getMonth() + 1)).slice(-2) + "/" + d.getFullYear();
  }
  function formatTime(iso) {
    var d = new Date(iso);
    return ("0" + d.getHours()).slice(-2) + ":" + ("0" + d.getMinutes()).slice(-2) + " " + formatDate(iso);
  }
  function naturalKey(text) { return (text || "").replace(/\d+/g, function (n) { return ("0000000000" + n).slice(-10); }); }

  // --- status bar ------------------------------------------------------------------------------------------
  function renderStatus() {
    pendingEl.textContent = String(state.queue.length);
    pendingEl.setAttribute("data-count", String(state.queue.length));
    var online = navigator.onLine;
    netEl.textContent = online ? T.online : T.offline;
    netEl.className = "net-state " + (online ? "is-online" : "is-offline");
    syncButton.disabled = state.syncing;
    syncButton.textContent = state.syncing ? T.syncing : T.sync;
    if (!state.syncing) {
      messageEl.textContent = state.queue.length === 0 && state.lastSync
        ? T.synced + " · " + T.lastSync + ": " + formatTime(state.lastSync) : "";
    }
  }

  // --- screens ---------------------------------------------------------------------------------------------
  function myHamlets() { return (state.me && state.me.hamlets) || []; }

  function render() {
    renderStatus();
    view.textContent = "";
    if (!state.me) {
      view.appendChild(el("p", { className: "muted", text: T.loading }));
      return;
    }
    if (state.screen === "visit" && state.households[state.current]) { renderVisit(state.households[state.current]); }
    else if (state.screen === "new") { renderNew(); }
    else { state.screen = "list"; renderList(); }
  }

  function renderList() {
    var hamlets = myHamlets();
    if (!state.hamlet || !hamlets.some(function (h) { return h.code === state.hamlet; })) {
      state.hamlet = hamlets.length ? hamlets[0].code : null;
    }
    if (hamlets.length > 1) {
      var tabs = el("div", { className: "hamlet-tabs", role: "group" });
      hamlets.forEach(function (h) {
        var b = el("button", { type: "button", className: "button" + (h.code === state.hamlet ? "" : " button-secondary"),
          "aria-pressed": h.code === state.hamlet ? "true" : "false", text: h.name });
        b.addEventListener("click", function () { state.hamlet = h.code; persist(); render(); });
        tabs.appendChild(b);
      });
      view.appendChild(tabs);
    } else if (hamlets.length === 1) {
      view.appendChild(el("h2", { text: hamlets[0].name + " — " + hamlets[0].commune }));
    }
    if (state.failed.length) {
      var failed = el("div", { className: "message message-error", role: "alert" });
      failed.appendChild(el("strong", { text: T.failed + ": " }));
      state.failed.slice(-5).forEach(function (f) { failed.appendChild(el("div", { text: f.label + " — " + f.message })); });
      view.appendChild(failed);
    }
    var search = el("input", { type: "search", id: "hh-search", placeholder: T.search, "aria-label": T.search, value: state.query });
    var summary = el("p", { className: "result-count", id: "to-visit" });
    var list = el("ul", { className: "household-list", id: "household-list" });
    search.addEventListener("input", function () { state.query = search.value; fillList(list, summary); });
    view.appendChild(el("div", { className: "search-row" }, [search]));
    view.appendChild(summary);
    view.appendChild(list);
    var add = el("button", { type: "button", className: "button button-secondary", id: "new-household", text: "+ " + T.newHousehold });
    add.addEventListener("click", function () { state.screen = "new"; render(); window.scrollTo(0, 0); });
    view.appendChild(el("p", {}, [add]));
    fillList(list, summary);
  }

  // Registering a household: first the likely duplicates (online), then the new record, queued like a visit.
  function renderNew() {
    var back = el("button", { type: "button", className: "button button-secondary", text: "← " + T.back });
    back.addEventListener("click", function () { state.screen = "list"; render(); });
    view.appendChild(back);
    view.appendChild(el("h2", { text: T.newHousehold }));
    var form = el("form", { className: "visit-form", id: "household-form" });
    [["h-number", "house_number", T.houseNumber, "text"], ["h-name", "head_name", T.headName, "text"],
     ["h-phone", "phone", T.phone, "tel"], ["h-members", "members", T.members, "number"],
     ["h-adults", "adults", T.adults, "number"]].forEach(function (f) {
      form.appendChild(el("div", { className: "field" }, [el("label", { "for": f[0], text: f[2] }),
        el("input", { id: f[0], name: f[1], type: f[3], min: f[3] === "number" ? "0" : null,
          value: f[3] === "number" ? "1" : null, autocomplete: "off" })]));
    });
    var candidates = el("div", { id: "candidates", role: "status" });
    form.appendChild(candidates);
    form.appendChild(el("button", { type: "submit", className: "button button-large", text: T.check }));
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var data = {
        id: uuid4(), hamlet: state.hamlet, house_number: form.elements.house_number.value.trim(),
        head_name: form.elements.head_name.value.trim(), phone: form.elements.phone.value.replace(/\s/g, ""),
        members: parseInt(form.elements.members.value, 10) || 1, adults: parseInt(form.elements.adults.value, 10) || 1
      };
      if (!data.head_name) { candidates.textContent = T.nameRequired; return; }
      if (!navigator.onLine) { registerHousehold(data, true); return; }
      api("/households/candidates", { method: "POST", body: JSON.stringify({ hamlet: data.hamlet,
        head_name: data.head_name, house_number: data.house_number, phone: data.phone }) })
        .then(function (found) {
          if (!found.length) { registerHousehold(data, true); return; }
          candidates.textContent = "";
          candidates.appendChild(el("p", { className: "notice", text: T.maybeDuplicate }));
          found.forEach(function (c) {
            var pick = el("button", { type: "button", className: "household-item",
              text: (c.house_number ? T.houseNumber + " " + c.house_number + " · " : "") + c.head_name + (c.phone ? " · " + c.phone : "") });
            pick.addEventListener("click", function () {
              if (state.households[c.id]) { state.screen = "visit"; state.current = c.id; render(); }
            });
            candidates.appendChild(el("div", { className: "field" }, [pick]));
          });
          var anyway = el("button", { type: "button", className: "button", text: T.registerAnyway });
          anyway.addEventListener("click", function () { registerHousehold(data, true); });
          candidates.appendChild(anyway);
        })
        .catch(function () { registerHousehold(data, true); });
    });
    view.appendChild(form);
  }

  function registerHousehold(data, confirmed) {
    // Confirmed here, or offline (the supervisors' list of likely duplicates catches what slips through).
    data.confirm_new = confirmed;
    state.queue.push({ id: data.id, label: data.head_name, household: data, events: [] });
    state.households[data.id] = { id: data.id, hamlet: data.hamlet, house_number: data.house_number,
      head_name: data.head_name, phone: data.phone, phone_masked: "", members: data.members, adults: data.adults,
      version: 1, merged_into: null, last_visit_at: null, last_outcome: null, platforms: [], pending: true };
    persist();
    state.screen = "list";
    render();
    messageEl.textContent = T.registered;
    if (navigator.onLine) { sync(); }
  }

  function householdsOfHamlet() {
    var out = [];
    Object.keys(state.households).forEach(function (id) {
      var h = state.households[id];
      if (h.hamlet === state.hamlet) { out.push(h); }
    });
    return out;
  }

  function fillList(list, summary) {
    list.textContent = "";
    var all = householdsOfHamlet();
    var toVisit = all.filter(function (h) { return !h.last_visit_at; }).length;
    summary.textContent = T.toVisit.replace("%(count)s", String(toVisit)) + " / " + all.length;
    var q = fold(state.query);
    var shown = all.filter(function (h) { return !q || fold(h.head_name + " " + h.house_number).indexOf(q) !== -1; });
    shown.sort(function (a, b) {
      if (!a.last_visit_at !== !b.last_visit_at) { return a.last_visit_at ? 1 : -1; }
      return naturalKey(a.house_number).localeCompare(naturalKey(b.house_number)) || a.head_name.localeCompare(b.head_name);
    });
    if (!shown.length) { list.appendChild(el("li", { className: "empty-state", text: T.noHouseholds })); return; }
    shown.slice(0, 300).forEach(function (h) {
      var meta = h.last_visit_at ? T.visited + " " + formatDate(h.last_visit_at) : T.notVisited;
      if (h.platforms && h.platforms.length) { meta += " · " + h.platforms.length + " ✓"; }
      if (h.pending) { meta += " · " + T.pending; }
      var button = el("button", { type: "button", className: "household-item" + (h.last_visit_at ? "" : " to-visit"),
        "data-id": h.id }, [
        el("span", { className: "hh-name", text: (h.house_number ? T.houseNumber + " " + h.house_number + " · " : "") + h.head_name }),
        el("span", { className: "hh-meta", text: meta })
      ]);
      button.addEventListener("click", function () { state.screen = "visit"; state.current = h.id; render(); window.scrollTo(0, 0); });
      list.appendChild(el("li", {}, [button]));
    });
  }

  function renderVisit(h) {
    var back = el("button", { type: "button", className: "button button-secondary", text: "← " + T.back });
    back.addEventListener("click", function () { state.screen = "list"; render(); });
    view.appendChild(back);
    view.appendChild(el("h2", { text: h.head_name }));
    view.appendChild(el("p", { className: "muted", text: (h.house_number ? T.houseNumber + " " + h.house_number + " · " : "") +
      h.members + " " + T.members + (h.phone_masked ? " · " + T.phone + " " + h.phone_masked : "") }));
    var form = el("form", { className: "visit-form", id: "visit-form" });
    var outcomes = el("fieldset", { className: "big-choices" }, [el("legend", { text: T.outcome })]);
    Object.keys(state.me.outcomes).forEach(function (value, index) {
      outcomes.appendChild(el("label", { className: "choice" }, [
        el("input", { type: "radio", name: "outcome", value: value, checked: index === 0 }),
        document.createTextNode(" " + state.me.outcomes[value])
      ]));
    });
    form.appendChild(outcomes);
    var platforms = el("fieldset", { className: "big-choices" }, [el("legend", { text: T.platforms })]);
    state.me.platforms.forEach(function (p) {
      var using = (h.platforms || []).indexOf(p.code) !== -1;
      platforms.appendChild(el("label", { className: "choice" }, [
        el("input", { type: "checkbox", name: "platform", value: p.code }),
        document.createTextNode(" " + p.name + " "),
        using ? el("span", { className: "tag", text: T.alreadyUsing }) : null
      ]));
    });
    form.appendChild(platforms);
    form.appendChild(el("div", { className: "field" }, [el("label", { "for": "v-persons", text: T.persons }),
      el("input", { type: "number", id: "v-persons", name: "persons", min: "0", max: "60", value: "1", inputmode: "numeric" })]));
    form.appendChild(el("div", { className: "field" }, [el("label", { "for": "v-present", text: T.present }),
      el("input", { type: "number", id: "v-present", name: "present", min: "0", max: "60", value: "1", inputmode: "numeric" })]));
    form.appendChild(el("div", { className: "field" }, [el("label", { "for": "v-note", text: T.note }),
      el("textarea", { id: "v-note", name: "note", rows: "2", maxlength: "500" })]));
    form.appendChild(el("button", { type: "submit", className: "button button-large", text: T.save }));
    form.addEventListener("submit", function (event) { event.preventDefault(); recordVisit(h, form); });
    view.appendChild(form);
  }

  function recordVisit(h, form) {
    var now = new Date().toISOString();
    var outcome = form.querySelector("input[name=outcome]:checked");
    var persons = parseInt(form.elements.persons.value, 10) || 0;
    var visit = { id: uuid4(), household: h.id, visited_at: now, outcome: outcome ? outcome.value : "met",
      members_present: parseInt(form.elements.present.value, 10) || 0, note: form.elements.note.value.slice(0, 500) };
    var events = Array.prototype.map.call(form.querySelectorAll("input[name=platform]:checked"), function (box) {
      return { id: uuid4(), household: h.id, visit: visit.id, platform: box.value, status: "adopted",
        persons: persons, source: "self_reported", recorded_at: now };
    });
    state.queue.push({ id: visit.id, label: h.head_name, visit: visit, events: events });
    h.last_visit_at = now;
    h.last_outcome = visit.outcome;
    h.pending = true;
    events.forEach(function (e) { if (h.platforms.indexOf(e.platform) === -1) { h.platforms.push(e.platform); } });
    persist();
    state.screen = "list";
    render();
    messageEl.textContent = T.saved;
    if (navigator.onLine) { sync(); }
  }

  // --- network ---------------------------------------------------------------------------------------------
  function api(path, options) {
    options = options || {};
    options.credentials = "same-origin";
    options.headers = options.headers || {};
    options.headers.Accept = "application/json";
    if (options.body) {
      options.headers["Content-Type"] = "application/json";
      options.headers["X-CSRFToken"] = state.csrf || "";
    }
    return fetch(API + path, options).then(function (response) {
      if (response.status === 401) { window.location.href = "/accounts/login/?next=" + encodeURIComponent(location.pathname); }
      if (!response.ok) { var error = new Error("HTTP " + response.status); error.status = response.status; throw error; }
      return response.json();
    });
  }

  function fetchMe() {
    return api("/me").then(function (me) {
      state.csrf = me.csrf_token;
      delete me.csrf_token;
      state.me = me;
      save("me", me);
      // Keep nothing of a hamlet that is no longer the member's.
      var codes = me.hamlets.map(function (h) { return h.code; });
      Object.keys(state.households).forEach(function (id) {
        if (codes.indexOf(state.households[id].hamlet) === -1) { delete state.households[id]; }
      });
    });
  }

  function push() {
    if (!state.queue.length) { return Promise.resolve(); }
    var chunk = state.queue.slice(0, BATCH);
    var batch = { households: [], visits: [], events: [] };
    chunk.forEach(function (entry) {
      if (entry.household) { batch.households.push(entry.household); }
      if (entry.visit) { batch.visits.push(entry.visit); }
      batch.events = batch.events.concat(entry.events || []);
    });
    return api("/sync", { method: "POST", body: JSON.stringify(batch) }).then(function (result) {
      var problems = {};
      result.households.concat(result.visits, result.events).forEach(function (r) {
        if (r.status === "error" || r.status === "conflict" || r.status === "duplicate") { problems[r.id] = r.message; }
      });
      chunk.forEach(function (entry) {
        var ids = [entry.id].concat((entry.events || []).map(function (e) { return e.id; }));
        ids.forEach(function (id) { if (problems[id]) { state.failed.push({ label: entry.label, message: problems[id] }); } });
        if (entry.household && problems[entry.household.id]) { delete state.households[entry.household.id]; }
      });
      state.queue = state.queue.slice(chunk.length);
      persist();
      if (state.queue.length) { return push(); }
    });
  }

  function pull() {
    return api("/households?cursor=" + encodeURIComponent(state.cursor || "")).then(function (page) {
      page.items.forEach(function (item) {
        if (item.merged_into) { delete state.households[item.id]; return; }
        state.households[item.id] = item;
      });
      state.cursor = page.next_cursor;
      // Visits still waiting to go keep showing on the list.
      state.queue.forEach(function (entry) {
        var h = entry.visit && state.households[entry.visit.household];
        if (h) { h.last_visit_at = entry.visit.visited_at; h.pending = true; }
      });
      persist();
      if (page.has_more) { return pull(); }
    });
  }

  function sync() {
    if (state.syncing) { state.again = true; return Promise.resolve(); }
    state.syncing = true;
    renderStatus();
    var start = state.csrf ? Promise.resolve() : fetchMe();
    return start.then(push).catch(function (error) {
      if (error.status === 403) { return fetchMe().then(push); }  // a new CSRF token after signing in again
      throw error;
    }).then(pull).then(function () {
      state.lastSync = new Date().toISOString();
      persist();
    }).catch(function () {
      messageEl.textContent = T.offline;
    }).then(function () {
      state.syncing = false;
      if (state.screen === "list") { render(); } else { renderStatus(); }
      if (state.again) { state.again = false; return sync(); }
    });
  }

  // --- start -----------------------------------------------------------------------------------------------
  // A shared phone: the households of another member are not kept (their unsent visits are).
  Object.keys(localStorage).forEach(function (key) {
    if (key.indexOf("outreach:v1:") === 0 && key.indexOf(PREFIX) !== 0 && /:(households|me|cursor)$/.test(key)) {
      localStorage.removeItem(key);
    }
  });
  // Safari on iPhone deletes a web site's storage after 7 days unused, unless it is on the home screen.
  if (navigator.standalone === false) {
    appEl.insertBefore(el("p", { className: "notice", text: T.installHint }), appEl.firstChild);
  }
  document.getElementById("outreach-nojs").hidden = true;
  appEl.hidden = false;
  syncButton.addEventListener("click", function () { sync(); });
  window.addEventListener("online", function () { renderStatus(); sync(); });
  window.addEventListener("offline", renderStatus);
  window.setInterval(function () { if (state.queue.length && navigator.onLine) { sync(); } }, RETRY_MS);
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(root.getAttribute("data-sw"), { scope: root.getAttribute("data-scope") })
      .catch(function () { /* the app still works online without it */ });
  }
  render();
  if (navigator.onLine) { sync(); }
})();
