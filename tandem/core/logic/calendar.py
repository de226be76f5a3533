"""Business days: which days are worked, and how to move and count in them."""

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, timedelta

_ONE_DAY = timedelta(days=1)
_ADD_MEMO_SIZE = 100_000


@dataclass(frozen=True)
class BusinessCalendar:
    """The days a company works: every day except its weekend days and its holidays.

    `weekend` holds weekday numbers (Monday is 0, Sunday is 6). A holiday that falls on a
    weekend day changes nothing. Raises ValueError when the weekend covers the whole week.
    """

    holidays: frozenset[date] = frozenset()
    weekend: frozenset[int] = frozenset({5, 6})
    # Derived in __post_init__ so `count` and `add` never walk a year day by day.
    _holiday_list: tuple[date, ...] = field(init=False, repr=False, compare=False)
    _per_week: int = field(init=False, repr=False, compare=False)
    _workday: tuple[bool, ...] = field(init=False, repr=False, compare=False)
    _worked_after: tuple[tuple[int, ...], ...] = field(init=False, repr=False, compare=False)
    # Answers of `add`: a morning refresh asks the same (day, n) of thousands of plans.
    _added: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        holidays = frozenset(self.holidays)
        weekend = frozenset(self.weekend)
        if not weekend <= frozenset(range(7)):
            raise ValueError("weekend days are weekday numbers from 0 (Monday) to 6 (Sunday)")
        if len(weekend) == 7:
            raise ValueError("the weekend cannot cover the whole week")
        workday = tuple(weekday not in weekend for weekday in range(7))
        # _worked_after[w][r]: working weekdays among the r days that follow a day of weekday w.
        worked_after = tuple(
            tuple(sum(workday[(w + i) % 7] for i in range(1, r + 1)) for r in range(7))
            for w in range(7)
        )
        object.__setattr__(self, "holidays", holidays)
        object.__setattr__(self, "weekend", weekend)
        object.__setattr__(
            self, "_holiday_list", tuple(sorted(d for d in holidays if workday[d.weekday()]))
        )
        object.__setattr__(self, "_per_week", sum(workday))
        object.__setattr__(self, "_workday", workday)
        object.__setattr__(self, "_worked_after", worked_after)
        object.__setattr__(self, "_added", {})

    def is_business_day(self, day: date) -> bool:
        """Return whether `day` is worked: not a weekend day and not a holiday."""
        return self._workday[day.weekday()] and day not in self.holidays

    def on_or_before(self, day: date) -> date:
        """Return the latest business day on or before `day`."""
        while not self.is_business_day(day):
            day -= _ONE_DAY
        return day

    def on_or_after(self, day: date) -> date:
        """Return the earliest business day on or after `day`."""
        while not self.is_business_day(day):
            day += _ONE_DAY
        return day

    def add(self, day: date, n: int) -> date:
        """Return the business day `n` business days after `day` (before it when `n` < 0).

        Only business days are counted, so from a Friday one step forward is the Monday. From
        a non-business day the first step lands on the nearest business day in that direction
        (Saturday + 1 is Monday, Saturday - 1 is Friday). `add(day, 0)` is `day` itself on a
        business day and `on_or_after(day)` otherwise. The result is always a business day.
        """
        key = (day, n)
        found = self._added.get(key)
        if found is None:
            if len(self._added) >= _ADD_MEMO_SIZE:
                self._added.clear()
            found = self._added[key] = self._add(day, n)
        return found

    def _add(self, day: date, n: int) -> date:
        if n == 0:
            return self.on_or_after(day)
        per_week = self._per_week
        if n > 0:
            # Jump whole weeks while far away; a week of weekdays never holds more than
            # `per_week` business days, so the jump cannot overshoot.
            while n > 2 * per_week:
                landing = day + timedelta(weeks=n // per_week - 1)
                n -= self.count(day, landing)
                day = landing
            while True:
                day += _ONE_DAY
                if self.is_business_day(day):
                    n -= 1
                    if n == 0:
                        return day
        n = -n
        while n > 2 * per_week:
            landing = day - timedelta(weeks=n // per_week - 1)
            # Business days in [landing, day): the ones this jump steps over.
            n -= self.count(landing - _ONE_DAY, day - _ONE_DAY)
            day = landing
        while True:
            day -= _ONE_DAY
            if self.is_business_day(day):
                n -= 1
                if n == 0:
                    return day

    def count(self, start: date, end: date) -> int:
        """Return how many business days lie in (start, end]: `start` excluded, `end` included.

        Negative when `end` is before `start`, so `count(a, b) == -count(b, a)`. For a
        business day `d`, `count(d, add(d, n)) == n`. Costs whole-week arithmetic plus a
        binary search over the holidays, whatever the distance.
        """
        if end < start:
            return -self.count(end, start)
        weeks, rest = divmod((end - start).days, 7)
        worked = weeks * self._per_week + self._worked_after[start.weekday()][rest]
        holidays = self._holiday_list
        return worked - (bisect_right(holidays, end) - bisect_right(holidays, start))
