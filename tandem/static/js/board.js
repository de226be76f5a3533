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
