// The site's search (its index, worker and Japanese word splitter, about 75 KB compressed) loads
// when a reader opens search, not with every page: most readers never search, and on a phone the
// index would cost more than the page itself. Runs before the theme's script (inlined into the page
// head by the site generator), and holds back the two things the theme starts at load: the search
// worker and the index download. Opening search (the magnifier, the search box, the keyboard
// shortcut, or an address with ?q=) lets both go.
//
// It also splits a Japanese query into words before the search sees it. The index is split into words
// by TinySegmenter, the same splitter Material ships for Japanese; a query typed as one phrase
// (「警察に相談」「いつから補償」) would otherwise be looked up as one long word and find nothing.
// Zensical's search gets the same words, space-separated, in its query's input.
"use strict";
(function () {
  var opened = false;
  var waiting = [];
  function open() {
    if (opened) return;
    opened = true;
    waiting.splice(0).forEach(function (go) { go(); });
  }
  function whenOpened(go) {
    if (opened) go(); else waiting.push(go);
  }

  // The theme's message that carries what the reader typed (its other messages pass as they are).
  var QUERY = 2;
  var JAPANESE = /[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]/;
  var segmenter = null;
  var segmenterReady = null;
  // The site's own copy of the theme's splitter (Zensical ships none); the build writes its address here.
  var SEGMENTER_URL = "__SEGMENTER_URL__";
  function loadSegmenter() {
    if (segmenterReady) return segmenterReady;
    segmenterReady = new Promise(function (resolve) {
      // tinyseg.js attaches itself to a global `lunr`; the page has none, so it gets a bare one.
      window.lunr = window.lunr || {};
      var script = document.createElement("script");
      script.src = SEGMENTER_URL;
      script.onload = function () {
        if (window.lunr.TinySegmenter) segmenter = new window.lunr.TinySegmenter();
        resolve();
      };
      script.onerror = function () { resolve(); };
      document.head.appendChild(script);
    });
    return segmenterReady;
  }
  // Particles and endings that join the words of a question: alone they would match every page.
  var PARTICLES = ["に", "を", "は", "が", "の", "で", "と", "も", "へ", "や", "か", "て", "た", "な", "ね", "よ", "ば",
    "から", "まで", "より", "など", "し", "する", "して", "した", "したい", "たい", "です", "ます", "ました", "ません",
    "れ", "れる", "られる", "さ", "ない", "ある", "いる", "こと", "もの", "ため", "について", "という", "でき", "できる"];
  function words(query) {
    if (!segmenter || !JAPANESE.test(query)) return query;
    var terms = [];
    query.split(/\s+/).forEach(function (part) {
      (JAPANESE.test(part) ? segmenter.segment(part) : [part]).forEach(function (word) {
        word = word.trim();
        if (word && PARTICLES.indexOf(word) < 0 && !/^[\s、。・？！?!「」（）()]+$/.test(word)) terms.push(word);
      });
    });
    return terms.length ? terms : query;
  }
  // Every word of a phrase must be in a result ("+word"); if that finds nothing, any of them will do.
  function asked(query) {
    var terms = words(query);
    if (typeof terms === "string") return { all: terms, any: null };
    if (terms.length === 1) return { all: terms[0], any: null };
    return { all: terms.map(function (t) { return "+" + t; }).join(" "), any: terms.join(" ") };
  }

  var RealWorker = window.Worker;
  if (RealWorker) {
    window.Worker = function (url, options) {
      if (!/workers\/search\./.test(String(url))) return new RealWorker(url, options);
      // Stands in for the search worker until search is opened; messages wait, then go in order.
      var standIn = document.createElement("span");
      var real = null;
      var queue = [];
      var fallback = null; // the "any word" query to send if "every word" finds nothing
      function deliver(message) {
        if (message && message.type === QUERY && typeof message.data === "string") {
          // Material's query: the words, every one required, then any of them if that finds nothing
          loadSegmenter().then(function () {
            var query = asked(message.data);
            fallback = query.any;
            real.postMessage({ type: QUERY, data: query.all });
          });
        } else if (message && message.type === QUERY && message.data && typeof message.data.input === "string") {
          // Zensical's query: an object whose input is what was typed; its search wants every word given
          loadSegmenter().then(function () {
            var terms = words(message.data.input);
            var input = typeof terms === "string" ? terms : terms.join(" ");
            real.postMessage({ type: QUERY, data: Object.assign({}, message.data, { input: input }) });
          });
        } else {
          real.postMessage(message);
        }
      }
      standIn.postMessage = function (message) {
        if (real) deliver(message); else queue.push(message);
      };
      standIn.terminate = function () { if (real) real.terminate(); };
      // Material's theme listens with addEventListener, Zensical's sets onmessage and onerror: both are heard.
      function pass(name, event) {
        standIn.dispatchEvent(new event.constructor(event.type, event));
        if (typeof standIn["on" + name] === "function") standIn["on" + name](event);
      }
      whenOpened(function () {
        real = new RealWorker(url, options);
        real.addEventListener("error", function (event) { pass("error", event); });
        real.addEventListener("messageerror", function (event) { pass("messageerror", event); });
        real.addEventListener("message", function (event) {
          var data = event.data;
          var items = data && data.type === QUERY + 1 && data.data && data.data.items;
          if (items && !items.length && fallback) {
            var any = fallback;
            fallback = null;
            real.postMessage({ type: QUERY, data: any });
            return;
          }
          pass("message", event);
        });
        queue.splice(0).forEach(deliver);
      });
      return standIn;
    };
  }

  var send = XMLHttpRequest.prototype.send;
  var openRequest = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (method, url) {
    // MkDocs' theme reads search/search_index.json, Zensical's search.json
    this.siteSearchIndex = /(?:^|\/)search(?:\/search_index)?\.json(?:$|\?)/.test(String(url));
    return openRequest.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    var request = this;
    var args = arguments;
    if (!request.siteSearchIndex || opened) return send.apply(request, args);
    whenOpened(function () { send.apply(request, args); });
  };

  // Material's search box is in the page; Zensical's is in a dialog inside a shadow root, seen through
  // the event's path.
  document.addEventListener("focusin", function (event) {
    var target = event.composedPath ? event.composedPath()[0] : event.target;
    if (target.matches && target.matches("input.md-search__input, dialog input")) open();
  });
  // The magnifier (a phone's), or Zensical's search button on a wide screen; Zensical draws its search
  // box only once the index is in, so the button and its shortcut (Ctrl+K) must let the index go.
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("label[for=__search], .md-search__button")) open();
  });
  document.addEventListener("keydown", function (event) {
    if ((event.ctrlKey || event.metaKey) && String(event.key).toLowerCase() === "k") open();
  });
  document.addEventListener("change", function (event) {
    if (event.target.id === "__search" && event.target.checked) open();
  });
  if (/[?&]q=/.test(location.search)) open();
})();
