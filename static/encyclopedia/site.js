/* ImmunoRef progressive enhancements. Every page works without this file; it adds:
   - previews of references, glossary terms and links to other entries on hover, focus or tap (WCAG 1.4.13:
     dismissible with Esc, hoverable, persistent until dismissed);
   - "Copy link" buttons beside section and reference anchors, and "Copy citation";
   - the current section marked in the table of contents; wide tables that scroll;
   - full link addresses and opened source lists when printing. */
(function () {
  "use strict";

  var doc = document;
  var main = doc.getElementById("main");
  if (!main || !doc.querySelector) { return; }

  function make(tag, className, text) {
    var node = doc.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  /* The public address of this page (the canonical link), for links people share. */
  function pageAddress() {
    var canonical = doc.querySelector('link[rel="canonical"]');
    var href = canonical ? canonical.href : location.href;
    return href.split("#")[0];
  }

  /* ---- Announcements (one polite live region, present from the start) ---- */
  var toast = make("div", "ir-toast");
  toast.setAttribute("role", "status");
  main.appendChild(toast);
  var toastTimer = 0;
  function announce(message) {
    toast.textContent = message;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(function () { toast.textContent = ""; }, 3500);
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var focused = doc.activeElement;
      var area = make("textarea", "visually-hidden");
      area.value = text;
      area.setAttribute("readonly", "");
      doc.body.appendChild(area);
      area.select();
      var done = false;
      try { done = doc.execCommand("copy"); } catch (error) { done = false; }
      doc.body.removeChild(area);
      if (focused && focused.focus) { focused.focus(); }
      if (done) { resolve(); } else { reject(new Error("copy refused")); }
    });
  }

  function linkIcon() {
    var ns = "http://www.w3.org/2000/svg";
    var svg = doc.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var path = doc.createElementNS(ns, "path");
    path.setAttribute("d", "M10 13a5 5 0 0 0 7.07 0l3-3a5 5 0 0 0-7.07-7.07l-1.5 1.5M14 11a5 5 0 0 0-7.07 0l-3 3a5 5 0 0 0 7.07 7.07l1.5-1.5");
    path.setAttribute("fill", "none");
    path.setAttribute("stroke", "currentColor");
    path.setAttribute("stroke-width", "2.2");
    path.setAttribute("stroke-linecap", "round");
    path.setAttribute("stroke-linejoin", "round");
    svg.appendChild(path);
    return svg;
  }

  /* ---- Copy link: beside every section anchor, reference and glossary item ---- */
  function addCopyButton(after, id, label) {
    var button = make("button", "copy-link");
    button.type = "button";
    button.setAttribute("aria-label", label);
    button.setAttribute("data-copy-id", id);
    button.appendChild(linkIcon());
    after.parentNode.insertBefore(button, after.nextSibling);
    return button;
  }

  Array.prototype.forEach.call(main.querySelectorAll("a.heading-anchor, a.item-anchor"), function (anchor) {
    var id = decodeURIComponent((anchor.getAttribute("href") || "").slice(1));
    if (!id) { return; }
    var name = anchor.getAttribute("aria-label") || "Link to this section";
    addCopyButton(anchor, id, name.replace(/^Link/, "Copy link"));
  });
  Array.prototype.forEach.call(main.querySelectorAll(".reference-list > li[id]"), function (item, index) {
    if (item.querySelector("a.item-anchor")) { return; }  // already has its own "#" link (and button)
    if (item.lastChild) { addCopyButton(item.lastChild, item.id, "Copy link to reference " + (index + 1)); }
  });

  main.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button.copy-link") : null;
    if (!button) { return; }
    var url = pageAddress() + "#" + button.getAttribute("data-copy-id");
    copyText(url).then(function () {
      button.classList.add("is-copied");
      setTimeout(function () { button.classList.remove("is-copied"); }, 2500);
      announce("Link copied");
    }, function () {
      announce("Could not copy. The link is: " + url);
    });
  });

  /* ---- Cite this page: a copy button under the citation ---- */
  var citation = doc.getElementById("ir-citation-text");
  if (citation) {
    var citeButton = make("button", "copy-button", "Copy citation");
    citeButton.type = "button";
    citation.parentNode.insertBefore(citeButton, citation.nextSibling);
    citeButton.addEventListener("click", function () {
      copyText(citation.textContent.replace(/\s+/g, " ").trim()).then(function () {
        citeButton.textContent = "Citation copied";
        announce("Citation copied");
        setTimeout(function () { citeButton.textContent = "Copy citation"; }, 2500);
      }, function () {
        announce("Could not copy. Select the citation text and copy it.");
      });
    });
  }

  /* ---- Previews of references and glossary terms ---- */
  var preview = make("div", "ir-preview");
  preview.id = "ir-preview";
  preview.hidden = true;
  main.appendChild(preview);
  var current = null;
  var dismissed = null;
  var showTimer = 0;
  var hideTimer = 0;
  var lastPointer = "mouse";

  function triggerOf(node) {
    if (!node || !node.closest) { return null; }
    var link = node.closest("a.cite-link, a.term, a.xref");
    return link && main.contains(link) ? link : null;
  }

  function byId(id) {
    try { return doc.getElementById(decodeURIComponent(id)); } catch (error) { return null; }
  }

  /* Previews of links to other entries: the page embeds their data once (#link-previews),
     read on the first preview, never fetched. */
  var linkData = null;
  function linkPreview(trigger) {
    if (linkData === null) {
      var data = doc.getElementById("link-previews");
      try { linkData = data ? JSON.parse(data.textContent) : {}; } catch (error) { linkData = {}; }
    }
    var info = linkData[trigger.getAttribute("href") || ""];
    return info && typeof info === "object" ? info : null;
  }

  function fillPreview(trigger) {
    var label = make("p", "preview-label");
    var body = make("p", "preview-text");
    var links = make("p", "preview-links");
    if (trigger.classList.contains("xref")) {
      var info = linkPreview(trigger);
      if (!info) { return false; }
      label.textContent = info.section ? info.title + ": " + info.section : info.title;
      body.textContent = info.text || "";
      if (info.reviewed) { links.appendChild(make("span", "preview-reviewed", "Last reviewed " + info.reviewed)); }
      var go = make("a", "", info.section ? "Go to the section" : "Read the entry");
      go.href = trigger.href;
      links.appendChild(go);
    } else if (trigger.classList.contains("cite-link")) {
      var item = byId((trigger.getAttribute("href") || "").slice(1));
      if (!item) { return false; }
      var copy = item.cloneNode(true);
      Array.prototype.forEach.call(copy.querySelectorAll(".backrefs, .copy-link, .study-type, a"), function (node) {
        node.parentNode.removeChild(node);
      });
      label.textContent = "Reference " + trigger.textContent.trim() + " ";
      var kind = item.querySelector(".study-type");
      if (kind) { label.appendChild(make("span", "study-type", kind.textContent)); }
      body.textContent = copy.textContent.replace(/\s+/g, " ").trim();
      Array.prototype.forEach.call(item.querySelectorAll("a.ref-doi, a.ref-pubmed, a.ref-url"), function (source) {
        var link = make("a", "", source.classList.contains("ref-url") ? "Web page" : source.textContent);
        link.href = source.href;
        links.appendChild(link);
      });
      var jump = make("a", "", "Go to the reference");
      jump.href = "#" + item.id;
      links.appendChild(jump);
    } else {
      var definition = byId(trigger.getAttribute("aria-describedby") || "");
      if (!definition) { return false; }
      var term = definition.previousElementSibling;
      label.textContent = term ? term.textContent.replace(/\s+/g, " ").trim() : trigger.textContent;
      body.textContent = definition.textContent.replace(/\s+/g, " ").trim();
      var more = make("a", "", trigger.pathname === location.pathname ? "Go to the glossary" : "Read more");
      more.href = trigger.href;
      links.appendChild(more);
    }
    preview.textContent = "";
    preview.appendChild(label);
    preview.appendChild(body);
    preview.appendChild(links);
    return true;
  }

  function place(trigger) {
    var box = trigger.getBoundingClientRect();
    var width = doc.documentElement.clientWidth;
    var margin = 8;
    var ownWidth = preview.offsetWidth;
    var ownHeight = preview.offsetHeight;
    var left = Math.max(margin, Math.min(box.left + box.width / 2 - ownWidth / 2, width - ownWidth - margin));
    var top = box.bottom + margin;
    if (top + ownHeight > window.innerHeight && box.top - margin - ownHeight > 0) {
      top = box.top - margin - ownHeight;
    }
    preview.style.left = Math.round(left + window.pageXOffset) + "px";
    preview.style.top = Math.round(top + window.pageYOffset) + "px";
  }

  function show(trigger) {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    if (trigger === dismissed) { return; }
    if (current === trigger && !preview.hidden) { return; }
    if (!fillPreview(trigger)) { return; }
    preview.hidden = false;
    current = trigger;
    place(trigger);
  }

  function hide() {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    preview.hidden = true;
    current = null;
  }

  function hideSoon() {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    hideTimer = setTimeout(function () {
      var active = doc.activeElement;
      if (preview.matches(":hover") || preview.contains(active) || (current && active === current)) { return; }
      hide();
    }, 350);
  }

  var openBeforeTap = null;
  doc.addEventListener("pointerdown", function (event) {
    lastPointer = event.pointerType || "mouse";
    openBeforeTap = preview.hidden ? null : current;
    if (!preview.hidden && !preview.contains(event.target) && triggerOf(event.target) !== current) { hide(); }
  }, true);

  main.addEventListener("mouseover", function (event) {
    var trigger = triggerOf(event.target);
    if (!trigger || lastPointer === "touch") { return; }
    clearTimeout(hideTimer);
    if (current === trigger) { return; }
    clearTimeout(showTimer);
    showTimer = setTimeout(function () { show(trigger); }, 200);
  });
  main.addEventListener("mouseout", function (event) {
    var trigger = triggerOf(event.target);
    if (!trigger || trigger.contains(event.relatedTarget)) { return; }
    if (trigger === dismissed) { dismissed = null; }
    if (event.relatedTarget && preview.contains(event.relatedTarget)) { return; }
    clearTimeout(showTimer);
    if (current) { hideSoon(); }
  });
  preview.addEventListener("mouseenter", function () { clearTimeout(hideTimer); });
  preview.addEventListener("mouseleave", hideSoon);

  main.addEventListener("focusin", function (event) {
    var trigger = triggerOf(event.target);
    if (trigger) { dismissed = null; show(trigger); }
  });
  doc.addEventListener("focusout", function (event) {
    if (!current) { return; }
    var next = event.relatedTarget;
    if (next && (next === current || preview.contains(next))) { return; }
    if (event.target === current || preview.contains(event.target)) { hideSoon(); }
  });

  main.addEventListener("click", function (event) {
    var trigger = triggerOf(event.target);
    if (!trigger || (lastPointer !== "touch" && lastPointer !== "pen")) { return; }
    if (openBeforeTap === trigger) { return; }  /* a second tap follows the link */
    event.preventDefault();
    dismissed = null;
    show(trigger);
  });

  doc.addEventListener("keydown", function (event) {
    if ((event.key === "Escape" || event.key === "Esc") && !preview.hidden) {
      dismissed = current;
      var returnTo = preview.contains(doc.activeElement) ? current : null;
      hide();
      if (returnTo) { returnTo.focus(); }
    }
  });
  window.addEventListener("resize", function () { if (current) { place(current); } });

  /* ---- Table of contents: mark the section being read ---- */
  var tocLinks = Array.prototype.slice.call(doc.querySelectorAll(".toc a[href^='#']"));
  var sections = tocLinks.map(function (link) { return byId(link.getAttribute("href").slice(1)); });
  var marked = null;
  var pending = false;
  function markSection() {
    pending = false;
    var found = -1;
    for (var index = 0; index < sections.length; index += 1) {
      if (sections[index] && sections[index].getBoundingClientRect().top < 120) { found = index; }
    }
    var link = found >= 0 ? tocLinks[found] : null;
    if (link === marked) { return; }
    if (marked) { marked.classList.remove("is-active"); }
    if (link) { link.classList.add("is-active"); }
    marked = link;
  }
  if (tocLinks.length) {
    window.addEventListener("scroll", function () {
      if (!pending) { pending = true; window.requestAnimationFrame(markSection); }
    }, { passive: true });
    markSection();
  }

  /* ---- Wide tables scroll sideways instead of squeezing ---- */
  var scrollers = [];
  Array.prototype.forEach.call(main.querySelectorAll(".entry-body table"), function (table, index) {
    var box = make("div", "table-scroll");
    box.setAttribute("role", "region");
    var heading = null;
    for (var node = table.previousElementSibling; node; node = node.previousElementSibling) {
      if (/^H[2-4]$/.test(node.tagName)) { heading = node; break; }
    }
    var caption = table.querySelector("caption");
    var name = caption ? caption.textContent : heading ? heading.firstChild.textContent : "";
    box.setAttribute("aria-label", "Table " + (index + 1) + (name ? ": " + name.trim() : ""));
    table.parentNode.insertBefore(box, table);
    box.appendChild(table);
    scrollers.push(box);
  });
  function markScrollable() {
    scrollers.forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) { box.setAttribute("tabindex", "0"); }
      else { box.removeAttribute("tabindex"); }
    });
  }
  if (scrollers.length) {
    markScrollable();
    window.addEventListener("resize", markScrollable);
  }

  /* ---- Printing: full addresses of links, and every list of sources open ---- */
  var opened = [];
  window.addEventListener("beforeprint", function () {
    var base = pageAddress();
    Array.prototype.forEach.call(main.querySelectorAll("a[href^='/']"), function (link) {
      try { link.setAttribute("data-print-href", new URL(link.getAttribute("href"), base).href); } catch (error) { /* keep as written */ }
    });
    Array.prototype.forEach.call(main.querySelectorAll("details:not([open])"), function (details) {
      details.open = true;
      opened.push(details);
    });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (details) { details.open = false; });
    opened = [];
  });
}());
