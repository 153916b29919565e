// The site's search (its index, worker and Japanese word splitter, about 75 KB compressed) loads
// when a reader opens search, not with every page: most readers never search, and on a phone the
// index would cost more than the page itself. Runs before the theme's script (inlined into the page
// head by the site generator), and holds back the two things the theme starts at load: the search
// worker and the index download. Opening search (the magnifier, the search box, the keyboard
// shortcut, or an address with ?q=) lets both go.
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

  var RealWorker = window.Worker;
  if (RealWorker) {
    window.Worker = function (url, options) {
      if (!/workers\/search\./.test(String(url))) return new RealWorker(url, options);
      // Stands in for the search worker until search is opened; messages wait, then go in order.
      var standIn = document.createElement("span");
      var real = null;
      var queue = [];
      standIn.postMessage = function (message) {
        if (real) real.postMessage(message); else queue.push(message);
      };
      standIn.terminate = function () { if (real) real.terminate(); };
      whenOpened(function () {
        real = new RealWorker(url, options);
        real.addEventListener("message", function (event) {
          standIn.dispatchEvent(new MessageEvent("message", { data: event.data }));
        });
        queue.splice(0).forEach(function (message) { real.postMessage(message); });
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
