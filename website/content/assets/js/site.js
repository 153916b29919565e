// Small fixes on top of the theme, run on every page.
"use strict";
(function () {
  // The theme's search overlay is a dialog without a name; screen readers announce it as "検索".
  var search = document.querySelector(".md-search[role=dialog]");
  if (search && !search.hasAttribute("aria-label")) {
    search.setAttribute("aria-label", "サイト内検索");
  }

  // The comparison's cards line their rows up across the screen (CSS subgrid): each spans as many grid
  // rows as the page lists. The number comes as data, not as an inline style, which the content
  // security policy refuses; setting it through the style object is allowed.
  document.querySelectorAll("[data-compare-rows]").forEach(function (grid) {
    grid.style.setProperty("--compare-rows", grid.getAttribute("data-compare-rows"));
  });

  // A product's details sit in closed sections. A link or a search result that points into one
  // (its heading, or anything inside it) opens it, then shows the target.
  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (!target) return;
    var opened = false;
    for (var el = target; el; el = el.parentElement) {
      if (el.tagName === "DETAILS" && !el.open) {
        el.open = true;
        opened = true;
      }
    }
    if (opened) target.scrollIntoView();
  }
  window.addEventListener("hashchange", openTarget);

  // A wide table's box says it scrolls sideways while the table is wider than the box (the line above it
  // shows); sizes change when a section opens and when the screen turns.
  function markWideTables() {
    document.querySelectorAll(".table-scroll").forEach(function (box) {
      box.toggleAttribute("data-overflows", box.scrollWidth > box.clientWidth + 1);
    });
  }
  document.addEventListener("toggle", markWideTables, true);
  window.addEventListener("resize", markWideTables);
  markWideTables();

  // On a phone, the bottom bar repeats the first screen's two buttons: it steps aside while those are
  // on screen, so the same buttons are never shown twice.
  var bar = document.querySelector(".actions--bar");
  var hero = document.querySelector(".actions--hero");
  if (bar && hero && "IntersectionObserver" in window) {
    new IntersectionObserver(function (entries) {
      bar.classList.toggle("actions--aside", entries[entries.length - 1].isIntersecting);
    }).observe(hero);
  }
  openTarget();
})();
