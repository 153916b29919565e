// The site's search (its index, worker and Japanese word splitter, about 75 KB compressed) loads
// when a reader opens search, not with every page: most readers never search, and on a phone the
// index would cost more than the page itself. Runs before the theme's script (inlined into the page
// head by the site generator), and holds back the two things the theme starts at load: the search
// worker and the index download. Opening search (the magnifier, the search box, the keyboard
// shortcut, or an address with ?q=) lets both go.
//
// It also splits a Japanese query into words before the search sees it. The index is split into words
// by TinySegmenter, the same splitter the theme ships for Japanese; a query typed as one phrase
// (「警察に相談」「いつから補償」) would otherwise be looked up as one long word and find nothing.
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
  function loadSegmenter(workerUrl) {
    if (segmenterReady) return segmenterReady;
    segmenterReady = new Promise(function (resolve) {
      // tinyseg.js attaches itself to a global `lunr`; the page has none, so it gets a bare one.
      window.lunr = window.lunr || {};
      var script = document.createElement("script");
      script.src = String(workerUrl).replace(/workers\/search\.[^/]*$/, "lunr/tinyseg.js");
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
          loadSegmenter(url).then(function () {
            var query = asked(message.data);
            fallback = query.any;
            real.postMessage({ type: QUERY, data: query.all });
          });
        } else {
          real.postMessage(message);
        }
      }
      standIn.postMessage = function (message) {
        if (real) deliver(message); else queue.push(message);
      };
      standIn.terminate = function () { if (real) real.terminate(); };
      whenOpened(function () {
        loadSegmenter(url);
        real = new RealWorker(url, options);
        real.addEventListener("message", function (event) {
          var data = event.data;
          var items = data && data.type === QUERY + 1 && data.data && data.data.items;
          if (items && !items.length && fallback) {
            var any = fallback;
            fallback = null;
            real.postMessage({ type: QUERY, data: any });
            return;
          }
          standIn.dispatchEvent(new MessageEvent("message", { data: data }));
        });
        queue.splice(0).forEach(deliver);
      });
      return standIn;
    };
  }

  var send = XMLHttpRequest.prototype.send;
  var openRequest = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (method, url) {
    this.siteSearchIndex = /search\/search_index\.json(?:$|\?)/.test(String(url));
    return openRequest.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    var request = this;
    var args = arguments;
    if (!request.siteSearchIndex || opened) return send.apply(request, args);
    whenOpened(function () { send.apply(request, args); });
  };

  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches("input.md-search__input")) open();
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("label[for=__search]")) open();
  });
  document.addEventListener("change", function (event) {
    if (event.target.id === "__search" && event.target.checked) open();
  });
  if (/[?&]q=/.test(location.search)) open();
})();
