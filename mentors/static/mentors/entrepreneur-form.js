// School and year are asked of graduates only; without this script they simply stay.
(function () {
  var box = document.querySelector(".school-fields");
  if (!box) return;
  var wanted = box.dataset.showFor.split(" ");
  var radios = document.querySelectorAll('input[name="background"]');
  function update() {
    var chosen = document.querySelector('input[name="background"]:checked');
    box.hidden = !chosen || wanted.indexOf(chosen.value) < 0;
  }
  radios.forEach(function (radio) { radio.addEventListener("change", update); });
  update();
})();
