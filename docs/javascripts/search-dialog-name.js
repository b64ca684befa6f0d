/*
 * Material's search overlay has role="dialog" but no accessible name (axe-core: "ARIA
 * dialog and alertdialog nodes should have an accessible name"). Name it after the search
 * field's own label.
 */
(function () {
  "use strict";
  const dialog = document.querySelector(".md-search[role=dialog]");
  if (dialog && !dialog.hasAttribute("aria-label")) dialog.setAttribute("aria-label", "Search");
})();
