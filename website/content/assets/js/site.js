// Small fixes on top of the theme, run on every page.
"use strict";
(function () {
  // The theme's search overlay is a dialog without a name; screen readers announce it as "検索".
  var search = document.querySelector(".md-search[role=dialog]");
  if (search && !search.hasAttribute("aria-label")) {
    search.setAttribute("aria-label", "サイト内検索");
  }
})();
