// The account picker: a search box whose suggestions fill a hidden id field.
document.addEventListener("click", function (event) {
  const option = event.target.closest("[data-pick]");
  if (!option) return;
  const picker = option.closest("[data-picker]");
  picker.querySelector("[data-picker-value]").value = option.dataset.pick;
  picker.querySelector("input[type=search]").value = option.dataset.label;
  picker.querySelector(".picker-options").innerHTML = "";
});

// Close the quick search results when clicking elsewhere.
document.addEventListener("click", function (event) {
  const results = document.getElementById("search-results");
  if (results && !event.target.closest("[role=search]")) results.innerHTML = "";
});

// A dialog whose form was refused opens again on load, showing what was typed and why.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll(".modal[data-show-on-load]").forEach(function (modal) {
    bootstrap.Modal.getOrCreateInstance(modal).show();
  });
});
