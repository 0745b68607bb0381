/* ImmunoRef reader signals (see the About page's privacy section). Without this file nothing
   is counted and the feedback form still works as a plain form.
   - an entry counts as read once it has been visible for READ_AFTER_MS (not while the page is
     prerendering or hidden): one beacon with the entry's slug;
   - "Was this page helpful?" answers in place instead of loading a new page;
   - a search that shows no result reports its words, which the site keeps only when several
     different readers searched for them the same day. */
(function () {
  "use strict";

  var doc = document;
  var READ_AFTER_MS = 5000;
  if (!doc.querySelector || !window.URLSearchParams) { return; }

  function beacon(path, fields) {
    var body = new URLSearchParams(fields);
    if (navigator.sendBeacon) {
      try { if (navigator.sendBeacon(path, body)) { return; } } catch (error) { /* fall through */ }
    }
    if (window.fetch) {
      fetch(path, { method: "POST", body: body, credentials: "omit", keepalive: true }).catch(function () {});
    }
  }

  /* ---- Reads: visible for a few seconds, counted once per page view ---- */
  var article = doc.querySelector("article.entry[data-slug]");
  if (article && !doc.querySelector("#draft-banner")) {
    var visibleFor = 0;
    var since = 0;
    var timer = 0;
    var sent = false;
    var tick = function () {
      if (sent) { return; }
      visibleFor += Date.now() - since;
      since = Date.now();
      if (visibleFor >= READ_AFTER_MS) {
        sent = true;
        beacon("/signals/read/", { slug: article.getAttribute("data-slug") });
      } else {
        timer = setTimeout(tick, READ_AFTER_MS - visibleFor);
      }
    };
    var watch = function () {
      clearTimeout(timer);
      if (sent) { return; }
      if (doc.prerendering || doc.visibilityState !== "visible") {
        if (since) { visibleFor += Date.now() - since; since = 0; }
        return;
      }
      since = Date.now();
      timer = setTimeout(tick, READ_AFTER_MS - visibleFor);
    };
    doc.addEventListener("visibilitychange", watch);
    doc.addEventListener("prerenderingchange", watch);
    watch();
  }

  /* ---- "Was this page helpful?": answered in place ---- */
  var form = doc.getElementById("feedback-form");
  var status = doc.getElementById("feedback-status");
  if (form && status && window.fetch) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = form.querySelector("button[type=submit]");
      if (button) { button.disabled = true; }
      fetch(form.action, {
        method: "POST",
        body: new URLSearchParams(new FormData(form)),
        headers: { "Accept": "application/json" },
        credentials: "omit"
      }).then(function (response) {
        if (response.ok) {
          form.querySelector("fieldset").disabled = true;
          var more = doc.getElementById("feedback-more");
          if (more) { more.hidden = true; }
          status.textContent = "Thank you. Your answer has been saved. We read every answer, but we cannot reply.";
          if (button) { button.hidden = true; }
        } else {
          status.textContent = response.status === 429
            ? "We have received many answers from you today. Thank you."
            : "Your answer could not be sent. Please check it and try again.";
          if (button) { button.disabled = false; }
        }
      }).catch(function () {
        status.textContent = "Your answer could not be sent. Please try again later.";
        if (button) { button.disabled = false; }
      });
    });
  }

  /* ---- Searches that found nothing ---- */
  var summary = doc.getElementById("search-summary");
  var input = doc.querySelector(".search-page input[name=q]");
  if (summary && input && input.value.trim() && !doc.getElementById("search-results")) {
    beacon("/signals/no-results/", { q: input.value.trim() });
  }
}());
