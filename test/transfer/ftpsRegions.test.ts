// The staging hosts ovfkit knows (CLI --region, the ovfkit.ftps.regions default) are the ones
// CloudControl's API reports: compared with the recorded geographicRegions answer.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { findStagingRegion, KNOWN_STAGING_REGIONS } from '../../client/src/transfer/ftps';

describe('FTPS staging regions', () => {
  it('match the ftpsHost of every region in the API fixture, and seed the setting default', () => {
    const xml = readFileSync(path.join(process.cwd(), 'test', 'fixtures', 'cloudcontrol', 'geographic_regions.xml'), 'utf8');
    const fromApi = [...xml.matchAll(/<geographicRegion id="([^"]+)"[\s\S]*?<name>([^<]+)<\/name>[\s\S]*?<ftpsHost>([^<]+)<\/ftpsHost>/g)].map((m) => ({ id: m[1], name: m[2], host: m[3] }));
    assert.equal(fromApi.length, 8);
    assert.deepEqual([...KNOWN_STAGING_REGIONS], fromApi);
    const pkg = JSON.parse(readFileSync(path.join(process.cwd(), 'package.json'), 'utf8'));
    const sections: Array<{ properties: Record<string, { default?: unknown }> }> = [pkg.contributes.configuration].flat();
    assert.deepEqual(sections.find((sec) => sec.properties['ovfkit.ftps.regions'])?.properties['ovfkit.ftps.regions'].default, fromApi);
  });

  it('are found by id or name, case-insensitively', () => {
    assert.equal(findStagingRegion(KNOWN_STAGING_REGIONS, 'EUROPE')?.host, 'ftps-eu.cloud-vpn.net');
    assert.equal(findStagingRegion(KNOWN_STAGING_REGIONS, 'north america')?.host, 'ftps-na.cloud-vpn.net');
    assert.equal(findStagingRegion(KNOWN_STAGING_REGIONS, 'atlantis'), undefined);
  });
});
