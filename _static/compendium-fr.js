// French for the few words the themes leave in English or with «(s)», once the page is loaded.
(function () {
  "use strict";
  var titles = {
    "Toggle primary sidebar": "Afficher ou masquer le menu",
    "Toggle secondary sidebar": "Afficher ou masquer le sommaire de la page"
  };
  function retitle() {
    document.querySelectorAll("[title], [data-bs-original-title], [aria-label]").forEach(function (el) {
      ["title", "data-bs-original-title", "aria-label"].forEach(function (attr) {
        var value = el.getAttribute(attr);
        if (value && titles[value]) el.setAttribute(attr, titles[value]);
      });
    });
  }
  // Sphinx's French search summary reads « 11 page(s) correspondant … ont été trouvées »
  var summary = /(\d+)\s+page\(s\)\s+correspondant à la requête de recherche ont été trouvées/;
  function agree(node) {
    var text = node.textContent || "";
    var match = text.match(summary);
    if (!match) return;
    var n = parseInt(match[1], 10);
    node.textContent = text.replace(summary, n < 2 ? n + " page correspondant à la recherche a été trouvée"
                                                   : n + " pages correspondant à la recherche ont été trouvées");
  }
  document.addEventListener("DOMContentLoaded", function () {
    retitle();
    // only the summary paragraph is rewritten (its text is the sentence alone)
    new MutationObserver(function () {
      document.querySelectorAll("p.search-summary").forEach(agree);
    }).observe(document.body, {childList: true, subtree: true, characterData: true});
  });
})();
