/* On a phone, fold the parts of a page marked data-fold-on-phone (the filters on the home
 * page, the search form above results), so what the visitor came for is on the first screen.
 * Without this script they stay open: nothing is hidden from anyone. */
(function () {
  "use strict";
  if (!window.matchMedia("(max-width: 700px)").matches) return;
  for (const part of document.querySelectorAll("details[data-fold-on-phone]")) part.open = false;
})();
