// congso: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // Language switch: change the language as soon as one is picked (the button does it without JavaScript).
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("select[data-autosubmit]")) {
      target.form.submit();
    }
  });

  // E-forms on phones: one group of questions at a time, with Back / Next and "Part n of N". On wide screens
  // and without JavaScript every group shows at once; the server checks everything either way.
  function stepper(form) {
    var steps = Array.prototype.slice.call(form.querySelectorAll("fieldset[data-step]"));
    var submit = form.querySelector("button[type=submit]");
    if (steps.length < 2 || !window.matchMedia("(max-width: 40rem)").matches) {
      return;
    }
    var current = 0;
    for (var i = 0; i < steps.length; i++) {
      if (steps[i].querySelector(".errorlist")) { current = i; break; }
    }
    var progress = document.createElement("p");
    progress.className = "step-progress";
    progress.setAttribute("aria-live", "polite");
    var nav = document.createElement("div");
    nav.className = "step-nav";
    var back = document.createElement("button");
    back.type = "button";
    back.className = "button button-secondary";
    back.textContent = form.dataset.labelBack;
    var next = document.createElement("button");
    next.type = "button";
    next.className = "button";
    next.textContent = form.dataset.labelNext;
    nav.appendChild(back);
    nav.appendChild(next);
    steps[0].parentNode.insertBefore(progress, steps[0]);
    steps[steps.length - 1].parentNode.insertBefore(nav, steps[steps.length - 1].nextSibling);

    function show(index) {
      current = index;
      steps.forEach(function (step, n) { step.hidden = n !== index; });
      back.hidden = index === 0;
      next.hidden = index === steps.length - 1;
      if (submit) { submit.hidden = index !== steps.length - 1; }
      progress.textContent = form.dataset.labelProgress
        .replace("{n}", String(index + 1)).replace("{total}", String(steps.length));
      var legend = steps[index].querySelector("legend");
      if (legend) { legend.setAttribute("tabindex", "-1"); legend.focus(); }
    }
    back.addEventListener("click", function () { show(Math.max(current - 1, 0)); });
    next.addEventListener("click", function () { show(Math.min(current + 1, steps.length - 1)); });
    show(current);
  }
  document.querySelectorAll("form[data-stepper]").forEach(stepper);
})();
