// Drag a card to another column: the server validates the move and answers with the card
// (and the new column totals). A refused move comes back with the reason, and the card
// returns to the column it came from.
(function () {
  const board = document.getElementById("board");
  if (!board || typeof Sortable === "undefined") return;
  const origins = new Map();

  board.querySelectorAll(".column-cards").forEach(function (column) {
    Sortable.create(column, {
      group: "deals",
      animation: 120,
      // On touch screens a short hold starts a drag, so a swipe still scrolls the board.
      delay: 200,
      delayOnTouchOnly: true,
      filter: "[data-locked]",
      preventOnFilter: false,
      onEnd: function (evt) {
        if (evt.from === evt.to) return;
        const card = evt.item;
        origins.set(card.dataset.deal, { column: evt.from, index: evt.oldIndex });
        const query = board.dataset.filterQuery;
        htmx.ajax("POST", card.dataset.moveUrl + (query ? "?" + query : ""), {
          target: card,
          swap: "outerHTML",
          values: { stage: evt.to.dataset.stage },
        });
      },
    });
  });

  // The request failed outright (server error, lost connection): nothing moved, so put the
  // card back and say so.
  function restore(event) {
    const card = event.detail.elt;
    if (!card || !card.dataset || !card.dataset.deal) return;
    const origin = origins.get(card.dataset.deal);
    if (!origin) return;
    origin.column.insertBefore(card, origin.column.children[origin.index] || null);
    origins.delete(card.dataset.deal);
    const note = document.createElement("div");
    note.className = "alert alert-danger refusal mb-0";
    note.setAttribute("role", "alert");
    note.textContent = "The move could not be saved. Reload the page and try again.";
    card.querySelectorAll(".refusal").forEach(function (old) { old.remove(); });
    card.appendChild(note);
  }
  document.body.addEventListener("htmx:responseError", restore);
  document.body.addEventListener("htmx:sendError", restore);

  document.body.addEventListener("htmx:afterSwap", function () {
    board.querySelectorAll(".deal-card[data-refused]").forEach(function (card) {
      const origin = origins.get(card.dataset.deal);
      if (!origin) return;
      const before = origin.column.children[origin.index] || null;
      origin.column.insertBefore(card, before);
      origins.delete(card.dataset.deal);
    });
  });
})();
