// CloudControl's geographies: each has one CaaS API host (`api-*.mcp-services.net`, the hosts the
// vendor's SDKs and Ansible collection use) and one FTPS staging host (the `ftpsHost` of its data
// centres). `apiHostForRegion` also takes the staging region ids of ftps/regions.ts where a
// geography has its own API host.

export interface CloudControlRegion {
  id: string;
  name: string;
  apiHost: string;
  ftpsHost: string;
}

export const CLOUDCONTROL_REGIONS: ReadonlyArray<CloudControlRegion> = [
  { id: 'na', name: 'North America', apiHost: 'api-na.mcp-services.net', ftpsHost: 'ftps-na.cloud-vpn.net' },
  { id: 'eu', name: 'Europe', apiHost: 'api-eu.mcp-services.net', ftpsHost: 'ftps-eu.cloud-vpn.net' },
  { id: 'au', name: 'Australia', apiHost: 'api-au.mcp-services.net', ftpsHost: 'ftps-au.cloud-vpn.net' },
  { id: 'mea', name: 'Middle East and Africa', apiHost: 'api-mea.mcp-services.net', ftpsHost: 'ftps-af.cloud-vpn.net' },
  { id: 'ap', name: 'Asia Pacific', apiHost: 'api-ap.mcp-services.net', ftpsHost: 'ftps-ap.cloud-vpn.net' },
  { id: 'canada', name: 'Canada', apiHost: 'api-canada.mcp-services.net', ftpsHost: 'ftps-canada.cloud-vpn.net' },
];

/** The staging region ids of ftps/regions.ts that belong to one API geography. */
const STAGING_REGION_TO_API: Record<string, string> = {
  northamerica: 'na',
  europe: 'eu',
  australia: 'au',
  africa: 'mea',
  asiapacific: 'ap',
  canada: 'canada',
};

/** A region by id, staging region id or name (case-insensitive). */
export function findCloudControlRegion(region: string): CloudControlRegion | undefined {
  const key = region.trim().toLowerCase();
  const id = STAGING_REGION_TO_API[key] ?? key;
  return CLOUDCONTROL_REGIONS.find((r) => r.id === id || r.name.toLowerCase() === key);
}

export function apiHostForRegion(region: string): string | undefined {
  return findCloudControlRegion(region)?.apiHost;
}
