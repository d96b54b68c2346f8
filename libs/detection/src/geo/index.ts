export { isPublicIp, parseIp, type ParsedIp, type PublicIpPolicy } from './ip-address.js';
export { NO_GEO, StaticGeoLookup, CachedGeoLookup, type GeoInfo, type GeoLookup, type StaticGeoEntry } from './geo-lookup.js';
export { AsnTable, type AsnAnswer } from './asn-table.js';
export { IpLocationDbGeo, type IpLocationDbOptions, type GeoLoadStats } from './ip-location-db.js';
export { countryLocation, greatCircleKm, minimumDistanceKm, type CountryLocation } from './country-locations.js';
export { isHostingNetwork } from './network-kind.js';
