"""Dates in en: the same patterns as ventanilla.core.dates (issue 12, item 9)."""

from ventanilla.core.dates import day_pattern, day_time_pattern

DATE_FORMAT = day_pattern("en")
DATETIME_FORMAT = day_time_pattern("en")
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
