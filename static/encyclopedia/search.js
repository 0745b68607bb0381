/* ImmunoRef search enhancements. Every page works without this file; it adds:
   - suggestions as you type in the header search box (#search-q), from /search/suggest/,
     as an ARIA 1.2 combobox: arrow keys move through them, Enter opens one, Esc closes;
   - on an entry page opened from the search results, the searched words marked. The
     words come from the result link's fragment (#search=word|other%20words), which the
     server never sees, or else from the referring results page's address, so an entry
     keeps one cacheable URL. The fragment is removed from the address bar once read. */
(function () {
  "use strict";

  var doc = document;
  if (!doc.querySelector || !window.fetch) { return; }

  var FRAGMENT = "#search=";
  var MAX_SUGGESTIONS = 10;
  var MAX_MARKS = 300;
  var DELAY_MS = 120;

  function make(tag, className, text) {
    var node = doc.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  /* ---- Suggestions as you type ---- */
  function setUpSuggestions(input) {
    var form = input.form;
    if (!form) { return; }
    var endpoint = new URL("suggest/", form.action).pathname;
    var listbox = make("ul", "search-suggestions");
    var status = make("div", "visually-hidden");
    var options = [];
    var active = -1;
    var timer = 0;
    var controller = null;
    var latest = "";
    var cache = {};

    listbox.id = "search-suggestions";
    listbox.setAttribute("role", "listbox");
    listbox.setAttribute("aria-label", "Suggestions");
    listbox.hidden = true;
    status.setAttribute("role", "status");
    /* Placement without the stylesheet's help (CSSOM styles are allowed by the CSP). */
    listbox.style.position = "absolute";
    listbox.style.zIndex = "20";
    form.style.position = "relative";
    form.appendChild(listbox);
    form.appendChild(status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", listbox.id);
    input.setAttribute("aria-expanded", "false");

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      options.forEach(function (option, position) {
        option.setAttribute("aria-selected", position === index ? "true" : "false");
        option.classList.toggle("is-active", position === index);
      });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function show(results) {
      listbox.textContent = "";
      options = results.slice(0, MAX_SUGGESTIONS).map(function (result, index) {
        var option = make("li", "search-suggestion", result.title);
        option.id = "search-suggestion-" + index;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.dataset.url = result.url;
        listbox.appendChild(option);
        return option;
      });
      active = -1;
      if (!options.length) {
        close();
        status.textContent = input.value.trim() ? "No suggestions." : "";
        return;
      }
      listbox.style.top = (input.offsetTop + input.offsetHeight) + "px";
      listbox.style.left = input.offsetLeft + "px";
      listbox.style.minWidth = input.offsetWidth + "px";
      listbox.hidden = false;
      input.setAttribute("aria-expanded", "true");
      status.textContent = options.length + (options.length === 1 ? " suggestion" : " suggestions") +
        ". Use the up and down arrow keys to choose one.";
    }

    function open(url) {
      window.location.assign(url);
    }

    function fetchSuggestions() {
      var query = input.value.trim().slice(0, 200);
      latest = query;
      if (!query) { show([]); return; }
      if (cache[query]) { show(cache[query]); return; }
      if (controller) { controller.abort(); }
      controller = window.AbortController ? new AbortController() : null;
      fetch(endpoint + "?q=" + encodeURIComponent(query), {
        headers: { "Accept": "application/json" },
        credentials: "same-origin",
        signal: controller ? controller.signal : undefined
      }).then(function (response) {
        return response.ok ? response.json() : { results: [] };
      }).then(function (data) {
        var results = (data && Array.isArray(data.results)) ? data.results : [];
        cache[query] = results;
        if (query === latest && doc.activeElement === input) { show(results); }
      }).catch(function () { /* offline or aborted: the form still works */ });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, DELAY_MS);
    });

    input.addEventListener("keydown", function (event) {
      var count = options.length;
      if (event.key === "ArrowDown" || event.key === "Down") {
        if (listbox.hidden) {
          if (count) { listbox.hidden = false; input.setAttribute("aria-expanded", "true"); }
          else { fetchSuggestions(); }
          if (!event.altKey && count) { highlight(0); }
        } else if (count) {
          highlight((active + 1) % count);
        }
        event.preventDefault();
      } else if (event.key === "ArrowUp" || event.key === "Up") {
        if (!listbox.hidden && count) {
          highlight(active <= 0 ? count - 1 : active - 1);
          event.preventDefault();
        }
      } else if (event.key === "Enter") {
        if (!listbox.hidden && active >= 0) {
          event.preventDefault();
          open(options[active].dataset.url);
        }
      } else if (event.key === "Escape" || event.key === "Esc") {
        if (!listbox.hidden) {
          close();
          event.preventDefault();
        }
      } else if (event.key === "Tab") {
        close();
      }
    });

    listbox.addEventListener("mousedown", function (event) {
      event.preventDefault(); /* keep the focus in the box until the click is done */
    });
    listbox.addEventListener("click", function (event) {
      var option = event.target.closest ? event.target.closest("[role=option]") : null;
      if (option) { open(option.dataset.url); }
    });
    input.addEventListener("blur", function () { close(); });
  }

  /* ---- Searched words marked on an entry page ---- */
  function wordsFromFragment() {
    var hash = window.location.hash;
    if (hash.indexOf(FRAGMENT) !== 0) { return null; }
    var words;
    try {
      words = decodeURIComponent(hash.slice(FRAGMENT.length)).split("|");
    } catch (error) {
      words = [];
    }
    if (window.history && history.replaceState) {
      history.replaceState(history.state, "", window.location.pathname + window.location.search);
    }
    return words;
  }

  function wordsFromReferrer() {
    var referrer;
    try {
      referrer = new URL(doc.referrer);
    } catch (error) {
      return [];
    }
    if (referrer.origin !== window.location.origin || !/\/search\/$/.test(referrer.pathname)) { return []; }
    return (referrer.searchParams.get("q") || "").split(/\s+/);
  }

  function escapeRegExp(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  function pattern(words) {
    var alternatives = [];
    words.forEach(function (word) {
      var parts = word.toLowerCase().split(/[\s\-\u2010\u2011\u2013]+/).filter(Boolean).slice(0, 8);
      if (!parts.length || (parts.length === 1 && parts[0].length < 2)) { return; }
      alternatives.push(parts.map(escapeRegExp).join("[\\s\\u00ad\\-\\u2010\\u2011\\u2013]+") + "(?:s|es)?");
    });
    if (!alternatives.length) { return null; }
    alternatives.sort(function (a, b) { return b.length - a.length; });
    var body = "(?:" + alternatives.join("|") + ")";
    try {
      return new RegExp("(?<![\\p{L}\\p{N}])" + body + "(?![\\p{L}\\p{N}])", "giu");
    } catch (error) { /* no lookbehind in this browser */
      return new RegExp("\\b" + body + "\\b", "gi");
    }
  }

  function markWords(root, regex) {
    var walker = doc.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        var parent = node.parentNode;
        if (!node.nodeValue.trim() || parent.closest("script, style, mark, button, .visually-hidden")) {
          return NodeFilter.FILTER_REJECT;
        }
        return NodeFilter.FILTER_ACCEPT;
      }
    });
    var nodes = [];
    while (walker.nextNode()) { nodes.push(walker.currentNode); }
    var count = 0;
    nodes.forEach(function (node) {
      if (count >= MAX_MARKS) { return; }
      var text = node.nodeValue;
      regex.lastIndex = 0;
      var match;
      var position = 0;
      var fragment = null;
      while ((match = regex.exec(text)) && count < MAX_MARKS) {
        if (!match[0]) { regex.lastIndex += 1; continue; }
        fragment = fragment || doc.createDocumentFragment();
        fragment.appendChild(doc.createTextNode(text.slice(position, match.index)));
        fragment.appendChild(make("mark", "search-term", match[0]));
        position = match.index + match[0].length;
        count += 1;
      }
      if (fragment) {
        fragment.appendChild(doc.createTextNode(text.slice(position)));
        node.parentNode.replaceChild(fragment, node);
      }
    });
    return count;
  }

  function unmark(root) {
    Array.prototype.forEach.call(root.querySelectorAll("mark.search-term"), function (mark) {
      mark.parentNode.replaceChild(doc.createTextNode(mark.textContent), mark);
    });
    root.normalize();
  }

  function setUpHighlighting(article) {
    var words = wordsFromFragment() || wordsFromReferrer();
    var regex = pattern(words.map(function (word) { return word.trim(); }).filter(Boolean).slice(0, 10));
    if (!regex) { return; }
    var count = markWords(article, regex);
    if (!count) { return; }
    var note = make("p", "search-highlight-note", "Words you searched for are highlighted. ");
    var button = make("button", "search-highlight-clear", "Remove highlighting");
    button.type = "button";
    button.addEventListener("click", function () {
      unmark(article);
      note.parentNode.removeChild(note);
    });
    note.appendChild(button);
    var header = article.querySelector(".entry-header") || article;
    header.appendChild(note);
  }

  var box = doc.getElementById("search-q");
  if (box) { setUpSuggestions(box); }
  var article = doc.querySelector("article.entry");
  if (article) { setUpHighlighting(article); }
})();
