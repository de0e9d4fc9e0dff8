"""The cultural programme as data: events of the town's venues, read from CSV or iCalendar.

- ``table``: the in-memory events table (one row per event or recurring series);
- ``times``: date-times, time zones and recurrence rules as the files write them;
- ``csv_format`` and ``ics_format``: the two file formats, each reporting every problem with its
  file, row (or calendar entry) and field;
- ``loading``: a town folder's ``events.csv`` / ``events.ics`` read and checked against its
  facilities;
- ``recurrence``: events expanded into dated occurrences for a month or any other window.
"""
