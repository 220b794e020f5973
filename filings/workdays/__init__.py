"""F9's working-day calendar as platform staff keep it (工作日历 / 放假安排).

The State Council publishes each year's days off and make-up working days (调休) in the
autumn before. Staff enter them here (paste the notice, or a small CSV), so F9 no longer
waits for a `chinese-calendar` release:

- `models`: the entered years, their days (each with its source and who entered it),
  the change history, and the promised dates a change moved;
- `notice_parser`, `csv_import`: the two ways in;
- `services`: the only writes (enter or change a year, the yearly reminder);
- `admin`: the staff's pages (preview on a month grid, then confirm) and the reviewers'
  list of moved dates.

The lookup itself (staff calendar → package → Monday–Friday estimate) is
`filings.calendar`.
"""
