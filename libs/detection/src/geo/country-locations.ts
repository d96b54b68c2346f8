/**
 * Rough geography of countries for impossible-travel checks: an approximate centre
 * (latitude, longitude) and a radius in km that covers most of the populated territory.
 * The database gives only a country, so the distance between two events is bounded below
 * by the distance between the centres minus both radii: a flight that could have been
 * between the nearest corners of two countries is never called impossible.
 * Figures are approximate public geography, rounded.
 */
const TABLE = `
AD 42.5 1.5 20|AE 24.2 54.4 250|AF 34.0 66.0 600|AL 41.2 20.0 150|AM 40.2 44.9 150|AO -12.3 17.5 700|AR -34.6 -61.0 1500|AT 47.6 14.1 280
AU -28.0 138.0 2200|AZ 40.3 47.7 250|BA 44.2 17.8 180|BD 23.8 90.3 300|BE 50.6 4.6 130|BF 12.3 -1.6 400|BG 42.7 25.3 250|BH 26.0 50.5 30
BJ 9.3 2.3 350|BO -16.5 -64.7 700|BR -14.2 -51.9 2000|BS 24.5 -77.5 400|BT 27.4 90.4 150|BW -22.3 24.7 500|BY 53.7 27.9 350|BZ 17.2 -88.7 150
CA 52.0 -95.0 2600|CD -2.9 23.6 1100|CF 6.6 20.9 600|CG -0.7 15.2 500|CH 46.8 8.2 180|CI 7.5 -5.5 350|CL -33.4 -71.0 1500|CM 5.7 12.4 600
CN 34.0 108.0 2200|CO 4.6 -74.3 700|CR 9.8 -84.0 200|CU 21.5 -79.0 500|CY 35.0 33.2 120|CZ 49.8 15.5 250|DE 51.2 10.4 450|DK 56.0 10.0 250
DO 18.8 -70.2 200|DZ 28.0 2.6 1100|EC -1.8 -78.2 400|EE 58.6 25.0 220|EG 26.8 30.8 700|ES 40.2 -3.7 600|ET 9.1 40.5 700|FI 63.0 26.0 550
FJ -17.7 178.1 300|FR 46.6 2.5 600|GA -0.8 11.6 400|GB 53.5 -2.0 500|GE 42.3 43.4 250|GH 7.9 -1.0 350|GR 39.1 22.9 400|GT 15.8 -90.2 250
HK 22.3 114.2 30|HN 15.2 -86.2 300|HR 45.1 15.2 300|HT 19.0 -72.3 150|HU 47.2 19.5 250|ID -2.5 118.0 2500|IE 53.4 -8.2 250|IL 31.5 34.9 200
IN 22.0 79.0 1600|IQ 33.2 43.7 500|IR 32.4 53.7 1000|IS 64.9 -19.0 300|IT 42.8 12.6 650|JM 18.1 -77.3 120|JO 31.2 36.5 250|JP 36.2 138.3 1200
KE 0.0 37.9 500|KG 41.2 74.8 400|KH 12.6 104.9 350|KR 36.4 127.8 300|KW 29.3 47.6 100|KZ 48.0 67.0 1400|LA 18.2 103.9 500|LB 33.9 35.9 100
LK 7.9 80.8 250|LT 55.2 23.9 250|LU 49.8 6.1 50|LV 56.9 24.6 250|LY 26.3 17.2 900|MA 31.8 -7.1 600|MC 43.7 7.4 5|MD 47.4 28.4 200
ME 42.7 19.4 100|MG -18.8 46.9 800|MK 41.6 21.7 120|ML 17.6 -4.0 900|MM 21.9 95.9 800|MN 46.9 103.8 1000|MO 22.2 113.5 10|MT 35.9 14.4 30
MU -20.3 57.6 50|MV 3.2 73.2 400|MX 23.6 -102.5 1500|MY 4.2 108.0 1000|MZ -18.7 35.5 900|NA -22.9 18.5 700|NE 17.6 8.1 900|NG 9.1 8.7 700
NI 12.9 -85.2 250|NL 52.1 5.3 180|NO 62.0 10.0 800|NP 28.4 84.1 400|NZ -41.0 174.0 800|OM 21.5 55.9 500|PA 8.5 -80.8 300|PE -9.2 -75.0 900
PG -6.3 143.9 700|PH 12.9 121.8 900|PK 30.4 69.3 800|PL 51.9 19.1 350|PR 18.2 -66.6 100|PS 31.9 35.2 80|PT 39.6 -8.0 350|PY -23.4 -58.4 500
QA 25.3 51.2 100|RE -21.1 55.5 40|RO 45.9 25.0 350|RS 44.0 21.0 250|RU 58.0 60.0 3500|RW -1.9 29.9 120|SA 24.0 45.0 1100|SD 15.6 30.2 900
SE 62.0 15.0 750|SG 1.35 103.8 30|SI 46.2 14.9 120|SK 48.7 19.7 220|SN 14.5 -14.5 350|SO 5.2 46.2 800|SV 13.8 -88.9 120|SY 35.0 38.5 350
TG 8.6 0.8 300|TH 15.9 100.9 800|TJ 38.9 71.3 350|TM 38.97 59.6 600|TN 34.0 9.5 400|TR 39.0 35.2 800|TT 10.7 -61.2 80|TW 23.7 121.0 250
TZ -6.4 34.9 700|UA 48.4 31.2 650|UG 1.4 32.3 350|US 39.8 -98.6 2600|UY -32.5 -55.8 350|UZ 41.4 64.6 700|VE 6.4 -66.6 700|VN 14.1 108.3 900
YE 15.6 48.5 600|ZA -29.0 24.7 900|ZM -13.1 27.8 600|ZW -19.0 29.2 450
`;

export interface CountryLocation {
  lat: number;
  lon: number;
  radiusKm: number;
}

const LOCATIONS: ReadonlyMap<string, CountryLocation> = new Map(
  TABLE.split(/[|\n]/)
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => {
      const [code, lat, lon, radius] = s.split(/\s+/);
      return [code, { lat: Number(lat), lon: Number(lon), radiusKm: Number(radius) }] as const;
    }),
);

export function countryLocation(code: string): CountryLocation | null {
  return LOCATIONS.get(code.toUpperCase()) ?? null;
}

const EARTH_RADIUS_KM = 6371;
const RAD = Math.PI / 180;

export function greatCircleKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const dLat = (b.lat - a.lat) * RAD;
  const dLon = (b.lon - a.lon) * RAD;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * RAD) * Math.cos(b.lat * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * The least distance anyone must have covered to be in country `a` and then in country `b`,
 * or null when either country is not in the table.
 */
export function minimumDistanceKm(a: string, b: string): number | null {
  if (a === b) return 0;
  const la = countryLocation(a);
  const lb = countryLocation(b);
  if (la === null || lb === null) return null;
  return Math.max(0, greatCircleKm(la, lb) - la.radiusKm - lb.radiusKm);
}
