// CloudControl's FTPS staging hosts, one per geographic region (the `ftpsHost` of each region in
// the CaaS API's geographicRegions answer). The VS Code setting `ovfkit.ftps.regions` is seeded
// with the same list; the CLI's --region looks names up here.

export interface StagingRegion {
  /** The API's region id. */
  id: string;
  name: string;
  host: string;
}

export const KNOWN_STAGING_REGIONS: readonly StagingRegion[] = [
  { id: 'africa', name: 'Africa', host: 'ftps-af.cloud-vpn.net' },
  { id: 'asiapacific', name: 'Asia Pacific', host: 'ftps-ap.cloud-vpn.net' },
  { id: 'australia', name: 'Australia', host: 'ftps-au.cloud-vpn.net' },
  { id: 'canada', name: 'Canada', host: 'ftps-canada.cloud-vpn.net' },
  { id: 'europe', name: 'Europe', host: 'ftps-eu.cloud-vpn.net' },
  { id: 'indonesia', name: 'Indonesia', host: 'ftps-id.cloud-vpn.net' },
  { id: 'israel', name: 'Israel', host: 'ftps-med-1.cloud-vpn.net' },
  { id: 'northamerica', name: 'North America', host: 'ftps-na.cloud-vpn.net' },
];

/** A region by id or name, case-insensitive. */
export function findStagingRegion(regions: readonly StagingRegion[], key: string): StagingRegion | undefined {
  const k = key.toLowerCase();
  return regions.find((r) => r.id.toLowerCase() === k || r.name.toLowerCase() === k);
}
