// Chained place pickers: in every [data-place-picker], the town select lists only the
// towns of the chosen county and the village select only the villages of the chosen
// town (options name their parent in data-parent). Without this script every option
// stays, and the server checks that the three agree.
(function () {
  var LEVELS = ["county", "town", "village"];

  function chain(picker) {
    // The include may be on a page twice, and then so is this script.
    if (picker.dataset.placePickerReady) return;
    picker.dataset.placePickerReady = "1";
    var selects = LEVELS.map(function (level) {
      return picker.querySelector('select[data-place-level="' + level + '"]');
    });
    // Each child's full list, kept aside so that it can be narrowed again and again.
    var all = selects.map(function (select) {
      return select ? Array.prototype.slice.call(select.options) : [];
    });

    function narrow(index) {
      var parent = selects[index - 1];
      var child = selects[index];
      if (!parent || !child) return;
      var kept = child.value;
      var stillThere = false;
      while (child.options.length) child.remove(0);
      all[index].forEach(function (option) {
        if (!option.value || option.dataset.parent === parent.value) {
          child.add(option);
          if (option.value && option.value === kept) stillThere = true;
        }
      });
      child.value = stillThere ? kept : "";
      narrow(index + 1);
    }

    selects.forEach(function (select, index) {
      if (select) select.addEventListener("change", function () { narrow(index + 1); });
    });
    narrow(1);
  }

  function start() {
    document.querySelectorAll("[data-place-picker]").forEach(chain);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
