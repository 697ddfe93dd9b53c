"""What a time expression says, before it is resolved against an anchor: the parts it names (year,
month, day, weekday …), the shift it describes (``năm ngoái`` = one year back), and what it is
relative to (the anchor, or the time the text spoke of last)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace


@dataclass
class Spec:
    rule: str
    granularity: str  # day | week | month | quarter | year | decade | century | recent
    year: int | None = None
    month: int | None = None
    day: int | None = None
    quarter: int | None = None
    decade: int | None = None  # 199 for the 1990s
    decade2: int | None = None  # 90 in "thập niên 90": the century comes from the anchor
    century: int | None = None  # 19 for the 20th century (19XX)
    year_offset: int | None = None  # tháng 6 năm nay: 0; tháng Chín năm ngoái: -1
    shift_unit: str | None = None  # hôm qua: day; tuần trước: week; 70 năm trước: year
    shift: int | None = None
    from_reference: bool = False  # 5 năm sau, một ngày trước đó: shifted from the last time spoken of
    weekday: int | None = None  # Monday = 0
    week_offset: int | None = None  # thứ Tư tuần trước: -1
    part: str | None = None  # early | mid | late (đầu, giữa, cuối)
    direction: int | None = None  # +1 / -1 when the words themselves point forward or back
    end: Spec | None = None  # the end of a range (1950-1953, từ tháng 6 đến tháng 9/2023)
    notes: list[str] = field(default_factory=list)

    @property
    def explicit(self) -> bool:
        """Whether the words alone fix the value (no anchor, no reference needed)."""
        if self.shift_unit or self.from_reference or self.weekday is not None and self.day is None:
            return False
        if self.granularity == "century":
            return self.century is not None
        if self.granularity == "decade":
            return self.decade is not None
        return self.year is not None

    def with_year_from(self, other: Spec) -> Spec:
        """This spec, taking the year (or year offset) of ``other`` when it names none: the start of
        ``từ tháng 6 đến tháng 9/2023`` or ``tháng 5 và tháng 8 năm nay``."""
        if self.year is not None or self.year_offset is not None or self.shift_unit or self.weekday:
            return self
        if self.month is None and self.day is None:
            return self
        if other.year is not None or other.year_offset is not None:
            month = self.month if self.month is not None else other.month
            return replace(self, year=other.year, year_offset=other.year_offset, month=month)
        return self
