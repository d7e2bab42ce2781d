// Ticketwarden seller page: reads /v1 with the seller's key; everything shown comes from there.
// The key lives in sessionStorage only (gone when the tab closes) and is sent in a header,
// never in a URL. Text is set with textContent only: message bodies are customer input.
"use strict";
(function () {
  var KEY = "ticketwarden.apiKey";
  var REFRESH_MS = 30000;
  var SVG = "http://www.w3.org/2000/svg";
  var timer = null;
  var openTicketId = null;

  function $(id) { return document.getElementById(id); }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (name === "text") { node.textContent = attrs[name]; } else { node.setAttribute(name, attrs[name]); }
    });
    (children || []).forEach(function (child) { if (child) { node.appendChild(child); } });
    return node;
  }

  function svg(tag, attrs) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    return node;
  }

  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } return node; }

  function when(iso) {
    if (!iso) { return "-"; }
    var d = new Date(iso);
    return d.toISOString().slice(0, 16).replace("T", " ") + " UTC";
  }

  function duration(seconds) {
    var s = Math.abs(seconds), h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
    var text = h >= 48 ? Math.floor(h / 24) + " d " + (h % 24) + " h" : h + " h " + m + " min";
    return text;
  }

  function timeLeft(item) {
    var s = item.business_seconds_left;
    return s < 0 ? "breached " + duration(s) + " ago" : duration(s) + " of business time left";
  }

  // ---------------------------------------------------------------- talking to /v1
  function api(path) {
    var key = sessionStorage.getItem(KEY);
    return fetch(path, {headers: {"Authorization": "Bearer " + key, "Accept": "application/json"},
                        cache: "no-store", credentials: "omit", referrerPolicy: "no-referrer"})
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (body) {
          if (response.status === 401) { throw {unauthorized: true}; }
          if (!response.ok) {
            var message = body && body.error ? body.error.message : response.statusText;
            throw {message: response.status + ": " + message};
          }
          return body;
        });
      });
  }

  function failed(error) {
    if (error && error.unauthorized) { return askForKey("That key was not accepted. Check it and enter it again."); }
    $("status").textContent = "Could not refresh (" + ((error && error.message) || error) +
      "); trying again in 30 s.";
  }

  // ---------------------------------------------------------------- key handling
  function askForKey(message) {
    stopRefreshing();
    sessionStorage.removeItem(KEY);
    $("board").hidden = true;
    $("sign-out").hidden = true;
    $("who").hidden = true;
    $("login").hidden = false;
    var error = $("key-error");
    error.textContent = message || "";
    error.hidden = !message;
    $("api-key").setAttribute("aria-invalid", message ? "true" : "false");
    $("api-key").value = "";
    $("api-key").focus();
  }

  function submitKey(event) {
    event.preventDefault();
    var key = $("api-key").value.trim();
    if (!key) { return askForKey("Enter your seller API key."); }
    sessionStorage.setItem(KEY, key);
    $("api-key").value = "";
    start();
  }

  function start() {
    $("status").textContent = "Loading...";
    refresh().then(function (ok) {
      if (!ok) { return; }
      $("login").hidden = true;
      $("board").hidden = false;
      $("sign-out").hidden = false;
      $("who").hidden = false;
      stopRefreshing();
      timer = setInterval(refresh, REFRESH_MS);
    });
  }

  function stopRefreshing() { if (timer) { clearInterval(timer); timer = null; } }

  // ---------------------------------------------------------------- one refresh
  function refresh() {
    var filter = $("ticket-filter").value;
    var list = "/v1/tickets?limit=50" + (filter ? "&status=" + encodeURIComponent(filter) : "");
    var reads = [api("/v1/sla/summary"), api(list)];
    if (openTicketId) { reads.push(api("/v1/tickets/" + encodeURIComponent(openTicketId))); }
    return Promise.all(reads).then(function (results) {
      showSummary(results[0]);
      showTickets(results[1].items);
      if (results[2]) { showTicket(results[2]); }
      $("status").textContent = "Updated " + new Date().toLocaleTimeString() + "; refreshes every 30 s.";
      return true;
    }).catch(function (error) { failed(error); return false; });
  }

  // ---------------------------------------------------------------- the summary
  function tile(n, what, tone) {
    return el("li", {"class": "tile" + (tone ? " " + tone : "")},
              [el("span", {"class": "n", text: String(n)}), el("span", {"class": "what", text: what})]);
  }

  function ratioText(ratio) { return ratio.ratio === null ? "-" : Math.round(ratio.ratio * 100) + " %"; }

  function showSummary(s) {
    $("who").textContent = "Seller " + s.seller_id;
    var tiles = clear($("tiles"));
    tiles.appendChild(tile(s.open_tickets, "open tickets"));
    tiles.appendChild(tile(s.at_risk_count, "at risk", s.at_risk_count ? "warn" : ""));
    tiles.appendChild(tile(s.breached_count, "breached", s.breached_count ? "bad" : ""));
    Object.keys(s.compliance).forEach(function (rule) {
      var c = s.compliance[rule];
      tiles.appendChild(tile(ratioText(c["7d"]), rule + " met, 7 days"));
      tiles.appendChild(tile(ratioText(c["30d"]), rule + " met, 30 days"));
    });
    var median = s.median_first_response.business_hours;
    tiles.appendChild(tile(median === null ? "-" : median + " h", "median first response (business hours)"));
    tiles.appendChild(tile(s.auto_closes_next_24h.length, "auto-close in 24 h (CMS-5)"));
    tiles.appendChild(tile(s.refund_windows_closing.length, "refund rights ending in 7 d (PS-7)"));
    tiles.appendChild(tile(s.business_care_ending.length, "Business Care ending in 7 d (PS-1)"));
    tiles.appendChild(tile(s.duplicate_payments_awaiting_refund.length, "duplicate payments to refund (CRJ-4)",
                           s.duplicate_payments_awaiting_refund.length ? "warn" : ""));
    var atRisk = s.at_risk.map(function (item) { return Object.assign({}, item, {state: "at-risk"}); });
    showClocks($("at-risk"), s.breached.concat(atRisk), "Nothing at risk and nothing breached.");
    showClocks($("deadlines"), s.next_deadlines, "No running SLA clock.");
    showCharts(s.compliance);
    showMoney(s);
    showEndpoints(s.endpoints);
  }

  function ticketButton(ticketId, label) {
    var button = el("button", {"type": "button", "class": "link", "data-ticket": ticketId, text: label});
    button.addEventListener("click", function () { openTicket(ticketId); });
    return button;
  }

  function showClocks(list, items, empty) {
    clear(list);
    if (!items.length) { list.appendChild(el("li", {text: empty})); return; }
    items.forEach(function (item) {
      var state = item.state;  // "at-risk" is the server's verdict (business time, test clock)
      list.appendChild(el("li", {}, [
        el("span", {"class": "badge " + state, text: state === "at-risk" ? "at risk" : state}),
        document.createTextNode(" " + item.rule + " " + item.clock.replace("_", " ") + " on "),
        ticketButton(item.ticket_id, item.thread_id),
        el("span", {"class": "meta", text: "due " + when(item.due_at) + " - " + timeLeft(item)})]));
    });
  }

  function showMoney(s) {
    var list = clear($("money"));
    var rows = [];
    s.refund_windows_closing.forEach(function (r) {
      rows.push([r.rule + " refund right ends " + when(r.closes_at), "order " + r.order_id + ", payment " + r.payment_id]);
    });
    s.business_care_ending.forEach(function (r) {
      rows.push([r.rule + " Business Care ends " + when(r.ends_at), "order " + r.order_id + ", customer " + r.customer_id]);
    });
    s.duplicate_payments_awaiting_refund.forEach(function (r) {
      rows.push([r.rule + " duplicate payment " + r.payment_id + " to refund by " + when(r.refund_due), "order " + r.order_id]);
    });
    s.auto_closes_next_24h.forEach(function (r) {
      rows.push([r.rule + " auto-close due " + when(r.due_at), "ticket " + r.ticket_id]);
    });
    if (!rows.length) { list.appendChild(el("li", {text: "Nothing ends in the next 7 days."})); }
    rows.forEach(function (row) {
      list.appendChild(el("li", {text: row[0]}, [el("span", {"class": "meta", text: row[1]})]));
    });
  }

  function showEndpoints(endpoints) {
    var list = clear($("endpoints"));
    if (!endpoints.length) { list.appendChild(el("li", {text: "No endpoints registered."})); return; }
    endpoints.forEach(function (e) {
      var tone = e.status === "active" ? "met" : "breached";
      list.appendChild(el("li", {}, [el("span", {"class": "badge " + tone, text: e.status}),
        document.createTextNode(" " + e.url),
        el("span", {"class": "meta", text: "last success " + when(e.last_success_at) +
          (e.failing_since ? "; failing since " + when(e.failing_since) : "")})]));
    });
  }

  // ---------------------------------------------------------------- the chart (plain SVG)
  function showCharts(compliance) {
    var box = clear($("charts"));
    var rules = Object.keys(compliance);
    if (!rules.length) { box.appendChild(el("p", {text: "No SLA clock was met or breached in the last 30 days."})); return; }
    rules.forEach(function (rule) { box.appendChild(chart(rule, compliance[rule].daily)); });
  }

  function chart(rule, days) {
    var width = 600, height = 180, left = 28, bottom = 22, top = 8;
    var peak = Math.max(1, Math.max.apply(null, days.map(function (d) { return d.met + d.breached; })));
    var step = (width - left) / days.length, scale = (height - top - bottom) / peak;
    var met = days.reduce(function (n, d) { return n + d.met; }, 0);
    var breached = days.reduce(function (n, d) { return n + d.breached; }, 0);
    var label = rule + ": " + met + " met and " + breached + " breached over 30 days";
    var root = svg("svg", {"viewBox": "0 0 " + width + " " + height, "role": "img", "aria-label": label,
                           "class": "compliance", "data-rule": rule});
    root.appendChild(svg("line", {"x1": left, "y1": height - bottom, "x2": width, "y2": height - bottom, "class": "axis"}));
    var peakLabel = svg("text", {"x": 0, "y": top + 10}); peakLabel.textContent = String(peak); root.appendChild(peakLabel);
    days.forEach(function (d, i) {
      var x = left + i * step + 1, base = height - bottom;
      [["met", d.met], ["breached", d.breached]].forEach(function (part) {
        if (!part[1]) { return; }
        var h = part[1] * scale;
        var bar = svg("rect", {"x": x.toFixed(1), "y": (base - h).toFixed(1), "width": Math.max(1, step - 2).toFixed(1),
                               "height": h.toFixed(1), "class": "bar-" + part[0]});
        var title = svg("title"); title.textContent = d.date + ": " + part[1] + " " + part[0]; bar.appendChild(title);
        root.appendChild(bar);
        base -= h;
      });
      if (i % 7 === 0) {
        var tick = svg("text", {"x": (left + i * step).toFixed(1), "y": height - 6});
        tick.textContent = d.date.slice(5); root.appendChild(tick);
      }
    });
    return el("figure", {"class": "chart"}, [root, el("figcaption", {"class": "small", text: label})]);
  }

  // ---------------------------------------------------------------- tickets
  function showTickets(items) {
    var list = clear($("tickets"));
    if (!items.length) { list.appendChild(el("li", {text: "No tickets here."})); return; }
    items.forEach(function (t) {
      list.appendChild(el("li", {"data-ticket-row": t.id}, [
        ticketButton(t.id, t.thread_id),
        document.createTextNode(" "), el("span", {"class": "badge", text: t.status}),
        el("span", {"class": "meta", text: t.marketplace + " - product " + t.product_id + " - customer " +
          t.customer_id + " - opened " + when(t.opened_at) + (t.close_reason ? " - " + t.close_reason : "")})]));
    });
  }

  function openTicket(ticketId) {
    openTicketId = ticketId;
    api("/v1/tickets/" + encodeURIComponent(ticketId)).then(function (t) {
      showTicket(t);
      $("ticket").focus();
    }).catch(failed);
  }

  function fact(list, name, value) {
    list.appendChild(el("dt", {text: name}));
    list.appendChild(el("dd", {text: value === null || value === undefined ? "-" : String(value)}));
  }

  function showTicket(t) {
    var box = $("ticket");
    box.hidden = false;
    box.setAttribute("data-ticket", t.id);
    $("ticket-title").textContent = "Ticket " + t.thread_id;
    var facts = clear($("ticket-facts"));
    fact(facts, "id", t.id); fact(facts, "status", t.status + (t.close_reason ? " (" + t.close_reason + ")" : ""));
    fact(facts, "marketplace", t.marketplace); fact(facts, "product", t.product_id);
    fact(facts, "customer", t.customer_id); fact(facts, "opened", when(t.opened_at));
    if (t.credentials) { fact(facts, "credentials", t.credentials); }
    var clocks = clear($("ticket-clocks"));
    t.sla.forEach(function (c) {
      clocks.appendChild(el("li", {}, [el("span", {"class": "badge " + c.state, text: c.state}),
        document.createTextNode(" " + c.rule + " " + c.name.replace("_", " ")),
        el("span", {"class": "meta", text: "started " + when(c.started_at) + ", due " + when(c.due_at) +
          (c.stopped_at ? ", stopped " + when(c.stopped_at) : "")})]));
    });
    t.timers.forEach(function (timerItem) {
      clocks.appendChild(el("li", {text: "timer " + timerItem.kind + " due " + when(timerItem.due_at)}));
    });
    if (!clocks.firstChild) { clocks.appendChild(el("li", {text: "No clock or timer."})); }
    var trail = clear($("ticket-trail"));
    t.decisions.forEach(function (d) {
      trail.appendChild(el("li", {"class": "decision"}, [
        el("strong", {text: d.rule}), document.createTextNode(" "),
        el("span", {"class": "badge " + d.outcome, text: d.outcome}),
        document.createTextNode(" " + d.reason + " "),
        el("span", {"class": "meta", text: "profile " + d.policy + (d.code ? " - code " + d.code : "")}),
        el("pre", {"class": "evidence", text: "evidence " + JSON.stringify(d.evidence, null, 1)})]));
    });
    if (!trail.firstChild) { trail.appendChild(el("li", {text: "No decision recorded."})); }
    var messages = clear($("ticket-messages"));
    t.messages.forEach(function (m) {
      messages.appendChild(el("li", {}, [
        el("span", {"class": "meta", text: m.author + (m.automated ? " (automated)" : "") + ", " + when(m.sent_at)}),
        el("p", {"class": "body", text: m.body})]));
    });
  }

  function closeTicket() { openTicketId = null; $("ticket").hidden = true; }

  document.addEventListener("DOMContentLoaded", function () {
    $("key-form").addEventListener("submit", submitKey);
    $("sign-out").addEventListener("click", function () { closeTicket(); askForKey(""); });
    $("ticket-close").addEventListener("click", closeTicket);
    $("ticket-filter").addEventListener("change", function () { refresh(); });
    if (sessionStorage.getItem(KEY)) { start(); } else { $("api-key").focus(); }
  });
}());
