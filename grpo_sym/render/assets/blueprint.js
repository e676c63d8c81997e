// The blueprint's pages: typeset the math with KaTeX, run the search box.
// Everything is local: KaTeX is bundled, the search index is search-index.js.
(function () {
  "use strict";

  function typeset() {
    document.querySelectorAll(".tex").forEach(function (el) {
      katex.render(el.textContent, el, {
        displayMode: el.classList.contains("display"), throwOnError: false
      });
    });
    // prose may carry math between $...$ (or \( \), \[ \]): auto-render finds it
    document.querySelectorAll(".prose").forEach(function (el) {
      renderMathInElement(el, {
        delimiters: [
          {left: "$$", right: "$$", display: true},
          {left: "\\[", right: "\\]", display: true},
          {left: "\\(", right: "\\)", display: false},
          {left: "$", right: "$", display: false}
        ],
        throwOnError: false
      });
    });
  }

  function search() {
    var input = document.getElementById("search");
    var list = document.getElementById("search-results");
    var root = document.body.getAttribute("data-root") || "";
    var entries = window.GRPO_SEARCH || [];
    var limit = 40;

    function show() {
      var terms = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      list.textContent = "";
      if (!terms.length) { list.hidden = true; return; }
      var first = [], rest = [];
      for (var k = 0; k < entries.length; k++) {
        var e = entries[k];
        var id = e[0].toLowerCase();
        var hay = id + " " + e[1].toLowerCase() + " " + e[2].toLowerCase();
        if (!terms.every(function (t) { return hay.indexOf(t) >= 0; })) continue;
        // a hit in the id ranks first
        (terms.every(function (t) { return id.indexOf(t) >= 0; }) ? first : rest).push(e);
      }
      var hits = first.concat(rest);
      hits.slice(0, limit).forEach(function (e) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = root + e[3];
        var code = document.createElement("code");
        code.textContent = e[0];
        a.appendChild(code);
        var where = document.createElement("span");
        where.className = "paper";
        where.textContent = " " + e[1] + " \u00b7 " + e[4];
        a.appendChild(where);
        var prose = document.createElement("span");
        prose.className = "snippet";
        prose.textContent = e[2];
        a.appendChild(prose);
        li.appendChild(a);
        list.appendChild(li);
      });
      if (hits.length > limit) {
        var more = document.createElement("li");
        more.className = "more";
        more.textContent = (hits.length - limit) + " more: refine the search";
        list.appendChild(more);
      }
      if (!hits.length) {
        var none = document.createElement("li");
        none.className = "more";
        none.textContent = "no claim matches";
        list.appendChild(none);
      }
      list.hidden = false;
    }

    input.addEventListener("input", show);
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter") {
        var a = list.querySelector("a");
        if (a) window.location.href = a.href;
      } else if (ev.key === "Escape") {
        input.value = "";
        show();
      }
    });
    document.addEventListener("click", function (ev) {
      if (!ev.target.closest(".search")) list.hidden = true;
    });
    input.addEventListener("focus", function () { if (input.value) show(); });
  }

  // a graph is drawn at its natural size and scrolls; its buttons zoom it
  function graphs() {
    document.querySelectorAll(".graph-box").forEach(function (box) {
      var pane = box.querySelector(".graph");
      var svg = pane.querySelector("svg");
      if (!svg) return;
      var natural = svg.getBoundingClientRect().width;
      var scale = 1;
      function zoom(to) {
        scale = Math.max(0.05, Math.min(4, to));
        svg.style.width = (natural * scale) + "px";
        svg.style.height = "auto";
      }
      box.querySelectorAll("button[data-zoom]").forEach(function (button) {
        button.addEventListener("click", function () {
          var how = button.getAttribute("data-zoom");
          if (how === "in") zoom(scale * 1.25);
          else if (how === "out") zoom(scale / 1.25);
          else if (how === "fit") zoom((pane.clientWidth - 16) / natural);
          else zoom(1);
        });
      });
      // an ancestors' graph runs left to right into its claim: show that end first
      if (pane.classList.contains("ancestors")) pane.scrollLeft = pane.scrollWidth;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    typeset();
    search();
    graphs();
  });
})();
