/* Reading offline: registers the service worker (/sw.js) where the browser has one and the site
   allows it (not under DEBUG), and runs the buttons of the "Reading offline" page. Without
   scripts, or in a browser without service workers, nothing is kept. */
(function () {
  "use strict";

  var doc = document;
  if (!("serviceWorker" in navigator) || !window.Promise) { return; }
  if (doc.documentElement.getAttribute("data-offline") !== "on") { return; }

  var ready = navigator.serviceWorker.register("/sw.js", { scope: "/", updateViaCache: "none" })
    .then(function () { return navigator.serviceWorker.ready; });

  var panel = doc.getElementById("offline-controls");
  if (!panel) { return; }
  var status = doc.getElementById("offline-status");
  var coreData = doc.getElementById("offline-core");
  var core = [];
  try { core = JSON.parse(coreData ? coreData.textContent : "[]"); } catch (error) { core = []; }

  function ask(message) {
    return ready.then(function (registration) {
      return new Promise(function (resolve) {
        var channel = new MessageChannel();
        channel.port1.onmessage = function (event) {
          var data = event.data || {};
          if (data.type === "progress") {
            status.textContent = "Saving… " + data.saved + " of " + data.total + " pages.";
          } else {
            resolve(data);
          }
        };
        registration.active.postMessage(message, [channel.port2]);
      });
    });
  }

  function describe(data) {
    var kb = Math.round((data.bytes || 0) / 1024);
    status.textContent = data.pages
      ? data.pages + " page" + (data.pages === 1 ? " is" : "s are") + " saved on this device (" + kb + " KB)."
      : "No pages are saved on this device.";
  }

  panel.hidden = false;
  var unsupported = doc.getElementById("offline-unsupported");
  if (unsupported) { unsupported.hidden = true; }
  ask({ type: "status" }).then(describe);

  doc.getElementById("offline-save").addEventListener("click", function () {
    status.textContent = "Saving…";
    ask({ type: "save-core", urls: core }).then(function (data) {
      status.textContent = data.saved + " of " + data.total + " pages saved for offline reading.";
      return ask({ type: "status" });
    }).then(describe);
  });
  doc.getElementById("offline-clear").addEventListener("click", function () {
    ask({ type: "clear" }).then(function () { return ask({ type: "status" }); }).then(describe);
  });
}());
