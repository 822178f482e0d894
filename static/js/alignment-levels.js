// Criterion form: next to each competence, offer only the target levels of its framework.
// Without this script every level is offered, grouped by framework, and the server refuses
// a level of another framework with a message; this only saves the wrong choice.
(function () {
  "use strict";
  function frameworkOf(select) {
    var option = select.options[select.selectedIndex];
    return option && option.parentElement.tagName === "OPTGROUP" ? option.parentElement.label : "";
  }
  function narrow(competence, level) {
    var framework = frameworkOf(competence);
    var groups = level.querySelectorAll("optgroup");
    for (var i = 0; i < groups.length; i++) {
      var other = framework !== "" && groups[i].label !== framework;
      groups[i].disabled = other;
      groups[i].hidden = other;
    }
    if (level.selectedIndex > 0 && level.options[level.selectedIndex].parentElement.disabled) {
      level.value = "";
    }
  }
  var rows = document.querySelectorAll("[data-alignment-row]");
  for (var i = 0; i < rows.length; i++) {
    var competence = rows[i].querySelector("select[name$='-competence']");
    var level = rows[i].querySelector("select[name$='-target_level']");
    if (!competence || !level) continue;
    narrow(competence, level);
    competence.addEventListener("change", narrow.bind(null, competence, level));
  }
})();
