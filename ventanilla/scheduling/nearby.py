"""Where else a person can find free times (issue 12 item 6, R-APT-14): the cities of the
country that have free times of a specialty this person may book, nearest first — across
provinces, since the nearest city with times is often in the next province (Cuenca and
Azogues). A city's position is the mean of its centres' coordinates (service centres and
medical ones), else of its province's."""

from __future__ import annotations

import math
from datetime import datetime

from ventanilla.countries.registry import get_pack

from . import selectors
from .models import Centre, Service


def city_points(country: str, level: int) -> dict[str, tuple[float, float]]:
    """Each place of ``level`` with centres: the mean of their coordinates. Service centres
    count too, so a city with no medical centre (Cuenca in the demo) is still placed."""
    geography = get_pack(country).geography
    sums: dict[str, list[float]] = {}
    for code, lat, lng in (Centre.objects.filter(country=country, is_active=True,
                                                 latitude__isnull=False,
                                                 longitude__isnull=False)
                           .values_list("subdivision_code", "latitude", "longitude")):
        place = geography.ancestor_at(code, level)
        if place is None:
            continue
        acc = sums.setdefault(place.code, [0.0, 0.0, 0.0])
        acc[0] += float(lat or 0)
        acc[1] += float(lng or 0)
        acc[2] += 1
    return {code: (a[0] / a[2], a[1] / a[2]) for code, a in sums.items()}


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance (haversine), enough to sort places by nearness."""
    p1, p2 = math.radians(a[0]), math.radians(b[0])
    dp, dl = p2 - p1, math.radians(b[1] - a[1])
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(h))


def places_with_times(*, country: str, service: Service | str, level: int, near: str = "",
                      allowance=None, now: datetime | None = None
                      ) -> list[tuple[str, int, float | None]]:
    """(place code, free times, km from ``near``) for every place of ``level`` in the
    country with free times (``allowance`` filters them for one person); nearest to
    ``near`` first when its position is known, else most free times first."""
    counts = selectors.slot_places_free_counts(country=country, service=service, place="",
                                               level=level, now=now, allowance=allowance)
    points = city_points(country, level) if near else {}
    origin = points.get(near)
    if origin is None and near:    # ``near`` has no centre: a parent's centres, if any
        geography = get_pack(country).geography
        parent = geography.ancestor_at(near, 0)
        siblings = [points[c] for c in points
                    if parent is not None and geography.top_level_of(c) == parent.code]
        if siblings:
            origin = (sum(p[0] for p in siblings) / len(siblings),
                      sum(p[1] for p in siblings) / len(siblings))
    out = [(code, free, km(origin, points[code]) if origin and code in points else None)
           for code, free in counts]
    if origin is not None:
        out.sort(key=lambda r: (r[2] is None, r[2] or 0.0, -r[1], r[0]))
    return out
