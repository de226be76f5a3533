"""Quick search: a few best matches of each kind the apps registered, as the user may see."""

from dataclasses import dataclass

from tandem.core.registry import SearchIndex, registry

PER_KIND = 8


@dataclass
class SearchResults:
    groups: list[tuple[SearchIndex, list]]

    def __getattr__(self, name: str) -> list:
        # results.accounts, results.deals…: one index's rows by its name.
        for index, rows in self.__dict__.get("groups", ()):
            if index.name == name:
                return rows
        raise AttributeError(name)

    @property
    def empty(self) -> bool:
        return not any(rows for _, rows in self.groups)


def global_search(query: str, user, limit: int = PER_KIND) -> SearchResults:
    """Ask every registered index for what contains every word of `query`; each applies
    its own app's access rules to `user`."""
    words = query.split()
    return SearchResults(
        groups=[
            (index, index.search(user, words, limit))
            for index in registry.search_indexes_in_order()
        ]
    )
