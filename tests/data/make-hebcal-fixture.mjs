// Prints Hebcal's own Shabbat times (candle lighting, Havdalah) as JSON: the expectations
// that tests/test_zmanim.py checks pamphlet/zmanim.py against.
//
// Run it from a scratch folder outside the repository, where @hebcal/core is installed:
//
//   mkdir -p /tmp/hebcal && cd /tmp/hebcal && npm init -y && npm install @hebcal/core
//   cp /work/main/tests/data/make-hebcal-fixture.mjs . \
//     && node make-hebcal-fixture.mjs > /work/main/tests/data/hebcal-shabbat-times.json
//
// (Node resolves '@hebcal/core' from the script's own folder, hence the copy.) It calls
// HebrewCalendar.calendar as a Hebcal page does: candlelighting on, Hebcal's defaults for
// everything else (18 min, or Hebcal's Israel minutes; Havdalah at tzeit 8.5°; no elevation).
import {HebrewCalendar, Location, Zmanim, version} from '@hebcal/core';

// Hebcal's own classic cities (its cities.json: coordinates, zone, elevation) with their
// geonameids: name, latitude, longitude, in Israel, zone, country, geonameid, elevation (m).
const CITIES = [
  ['New York', 40.71427, -74.00597, false, 'America/New_York', 'US', 5128581, 57],
  ['Los Angeles', 34.05223, -118.24368, false, 'America/Los_Angeles', 'US', 5368361, 96],
  ['Chicago', 41.85003, -87.65005, false, 'America/Chicago', 'US', 4887398, 180],
  ['Toronto', 43.70011, -79.4163, false, 'America/Toronto', 'CA', 6167865, 175],
  ['Buenos Aires', -34.61315, -58.37723, false, 'America/Argentina/Buenos_Aires', 'AR', 3435910, 31],
  ['London', 51.50853, -0.12574, false, 'Europe/London', 'GB', 2643743, 25],
  ['Paris', 48.85341, 2.3488, false, 'Europe/Paris', 'FR', 2988507, 42],
  ['Helsinki', 60.16952, 24.93545, false, 'Europe/Helsinki', 'FI', 658225, 26],
  ['Moscow', 55.75222, 37.61556, false, 'Europe/Moscow', 'RU', 524901, 144],
  ['Jerusalem', 31.76904, 35.21633, true, 'Asia/Jerusalem', 'IL', 281184, 786],
  ['Tel Aviv', 32.08088, 34.78057, true, 'Asia/Jerusalem', 'IL', 293397, 15],
  ['Johannesburg', -26.20227, 28.04363, false, 'Africa/Johannesburg', 'ZA', 993800, 1767],
  ['Melbourne', -37.814, 144.96332, false, 'Australia/Melbourne', 'AU', 2158177, 25],
];

// Shabbatot (Saturdays) across 2026 and 2027: solstices, equinoxes, and the Shabbat
// before and after each daylight-saving change (US, EU, Israel, Australia), avoiding
// weeks where a festival touches Friday night or Saturday night.
const WEEKS = {
  '2026-01-03': 'winter',
  '2026-02-14': 'winter',
  '2026-03-07': 'last Shabbat of US standard time (US change 8 March)',
  '2026-03-14': 'first Shabbat of US daylight time',
  '2026-03-21': 'equinox; last Shabbat of Israel standard time (Israel change Friday 27 March)',
  '2026-03-28': 'EU change Sunday 29 March: last Shabbat of EU winter time; Israel first on DST',
  '2026-04-11': 'EU summer time; Melbourne first Shabbat of standard time (change 5 April)',
  '2026-05-16': 'late spring; Helsinki near its last 8.5° tzeit',
  '2026-06-20': 'solstice: no 8.5° tzeit in Helsinki',
  '2026-07-25': 'midsummer',
  '2026-08-29': 'late summer',
  '2026-09-19': 'equinox; Melbourne last Shabbat of standard time (change 4 October)',
  '2026-10-10': 'Melbourne first Shabbat of daylight time',
  '2026-10-24': 'last Shabbat of EU and Israel summer time (change Sunday 25 October)',
  '2026-10-31': 'EU and Israel winter time; last Shabbat of US daylight time (change 1 November)',
  '2026-11-07': 'first Shabbat of US standard time',
  '2026-12-19': 'solstice',
  '2027-01-16': 'winter',
  '2027-03-13': 'last Shabbat of US standard time (change 14 March)',
  '2027-03-20': 'first Shabbat of US daylight time',
  '2027-03-27': 'Israel first Shabbat on DST (change Friday 26 March); EU change Sunday 28 March',
  '2027-04-03': 'first Shabbat of EU summer time; Melbourne last of daylight time (change 4 April)',
  '2027-06-26': 'solstice',
  '2027-10-30': 'last Shabbat of Israel summer time (change Sunday 31 October); EU winter time',
  '2027-11-06': 'last Shabbat of US daylight time (change 7 November)',
  '2027-11-13': 'first Shabbat of US standard time',
};

const pad = (n) => String(n).padStart(2, '0');
const isoDay = (d) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

/** The one event on a civil day with this description, or null. */
function only(events, desc, day) {
  const found = events.filter((ev) => ev.getDesc() === desc && isoDay(ev.getDate().greg()) === day);
  if (found.length > 1) throw new Error(`${found.length} "${desc}" events on ${day}`);
  return found[0] ?? null;
}

/** The time as Hebcal prints it (24-hour "HH:MM") and as an ISO datetime with offset. */
function time(ev) {
  if (ev === null) return null;
  const tzid = ev.location.getTzid();
  return {time: ev.eventTimeStr, iso: Zmanim.formatISOWithTimeZone(tzid, ev.eventTime)};
}

/** The minutes before sunset Hebcal applied: its sunset (to the minute, as it cuts it) less candle lighting. */
function appliedMinutes(location, friday, candles) {
  const sunset = new Zmanim(location, friday, false).sunset();
  sunset.setSeconds(0, 0);
  return (sunset.getTime() - candles.eventTime.getTime()) / 60000;
}

function shabbatTimes(city, saturday) {
  const [name, lat, long, il, tzid, cc, geoid, elevation] = city;
  const location = new Location(lat, long, il, tzid, name, cc, geoid, elevation);
  const [y, m, d] = saturday.split('-').map(Number);
  const friday = new Date(y, m - 1, d - 1);
  const options = {candlelighting: true, location, start: friday, end: new Date(y, m - 1, d)};
  const events = HebrewCalendar.calendar(options);
  const candles = only(events, 'Candle lighting', isoDay(friday));
  const havdalah = only(events, 'Havdalah', saturday);
  if (candles === null) throw new Error(`${name} ${saturday}: no candle lighting`);
  return {
    city: name,
    shabbat: saturday,
    candle_minutes: appliedMinutes(location, friday, candles), // Hebcal's, after its defaults
    candle_lighting: time(candles),
    havdalah: time(havdalah), // null where the sun does not reach 8.5° below the horizon
    events: events.filter((ev) => !ev.eventTime).map((ev) => ev.getDesc()), // festivals, if any
  };
}

const cases = [];
for (const saturday of Object.keys(WEEKS)) {
  for (const city of CITIES) cases.push(shabbatTimes(city, saturday));
}
const output = {
  generator: `tests/data/make-hebcal-fixture.mjs with @hebcal/core ${version}`,
  options: 'candlelighting: true; Hebcal defaults otherwise (havdalahDeg 8.5, useElevation false)',
  cities: CITIES.map(([name, latitude, longitude, il, timezone, country, geoid, elevation]) => (
    {name, latitude, longitude, il, timezone, country, geoid, elevation})),
  weeks: WEEKS,
  cases,
};
console.log(JSON.stringify(output, null, 1));
