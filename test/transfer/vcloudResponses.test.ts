// The response readers against real vCloud Director answers (test/fixtures/vcloud), and the
// simulator's answers read by the same readers.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { pickApiVersion } from '../../client/src/transfer/vcloud/connection';
import {
  readCatalogItemEntity,
  readOrg,
  readServerError,
  readSessionOrgHref,
  readTaskText,
  readTemplate,
  readUploadLink,
  readVersions,
} from '../../client/src/transfer/vcloud/responses';

const BASE = 'https://vcd.example.com';

/** A fixture with its `%s` holes filled: a base URL where one is followed by a path, else a name. */
function fixture(name: string): string {
  const text = readFileSync(path.join(process.cwd(), 'test/fixtures/vcloud', name), 'utf8');
  return text.replace(/%s(?=\/)/g, BASE).replace(/%s/g, 'x');
}

describe('vCloud response readers on real answers', () => {
  test('supported versions: 1.5 and 5.1 with their login URL; the newest is picked', () => {
    const versions = readVersions(fixture('supported_versions_response.xml'));
    assert.deepEqual(versions.map((v) => v.version), ['1.5', '5.1']);
    assert.equal(versions[0].loginUrl, `${BASE}/api/sessions`);
    assert.equal(pickApiVersion(versions)?.version, '5.1');
  });

  test('version negotiation prefers the newest non-deprecated version this client speaks', () => {
    const v = (version: string, deprecated = false) => ({ version, deprecated });
    assert.equal(pickApiVersion([v('5.1', true), v('33.0'), v('36.0'), v('99.0')])?.version, '36.0');
    assert.equal(pickApiVersion([v('5.1', true), v('5.5', true)])?.version, '5.5');
    assert.equal(pickApiVersion([v('99.0')]), undefined);
  });

  test('session: the org link', () => {
    assert.equal(readSessionOrgHref(fixture('session.xml')), 'x');
  });

  test('org: catalogs and VDCs by their down links', () => {
    const org = readOrg(fixture('org_response.xml'));
    assert.deepEqual(org.catalogs.map((c) => c.name), ['x', 'Public Catalog', 'images']);
    assert.equal(org.catalogs[1].href, `${BASE}/api/catalog/b5a81bed-b2a8-4d62-95b7-dff19cee53d1`);
    assert.deepEqual(org.vdcs, [{ name: 'x', href: `${BASE}/api/vdc/7ab770bd-c1eb-42b6-8a7b-bf62c504c33b` }]);
  });

  test('the VDC has the uploadVAppTemplate link; the 1.5-era catalog has none', () => {
    assert.match(readUploadLink(fixture('vdc_response.xml')) ?? '', /^https:\/\/vcd\.example\.com\/api\/vdc\/.*\/action\/uploadVAppTemplate$/);
    assert.equal(readUploadLink(fixture('catalog_response.xml')), undefined);
  });

  test('catalog item: the Entity is the template', () => {
    assert.equal(readCatalogItemEntity(fixture('catalog_add_item_response.xml')), `${BASE}/api/vAppTemplate/vappTemplate-x`);
  });

  test('template waiting for its descriptor: status 0 and the descriptor upload link', () => {
    const t = readTemplate(fixture('vapp_template_upload_response.xml'));
    assert.equal(t.status, 0);
    assert.equal(t.ovfDescriptorUploaded, false);
    assert.deepEqual(t.files, [{ name: 'descriptor.ovf', size: -1, bytesTransferred: 0, uploadHref: `${BASE}/transfer/22467867-7ada-4a55-a9cb-e05aa30a4f96/descriptor.ovf` }]);
    assert.equal(t.tasks.length, 0);
    assert.equal(t.removeHref, `${BASE}/api/vAppTemplate/vappTemplate-c032c1a3-21a2-4ac2-8e98-0cc29229e10c`);
  });

  test('template after the descriptor: one File per reference with size and bytesTransferred', () => {
    const t = readTemplate(fixture('vapp_template_no_disk_response.xml'));
    assert.equal(t.ovfDescriptorUploaded, true);
    assert.deepEqual(
      t.files.map((f) => [f.name, f.size, f.bytesTransferred, f.uploadHref?.split('/').pop()]),
      [
        ['haoUnOS2VMs-disk1.vmdk', 120903732, 0, 'haoUnOS2VMs-disk1.vmdk'],
        ['descriptor.ovf', 10964, 10964, 'descriptor.ovf'],
      ],
    );
  });

  test('template tasks: running with a cancel link, and in error', () => {
    const ok = readTemplate(fixture('vapp_template_upload_complete.xml'));
    assert.equal(ok.tasks[0].status, 'success');
    assert.equal(ok.tasks[0].operationName, 'vdcUploadOvfContents');
    assert.equal(ok.tasks[0].cancelHref, `${BASE}/api/task/91bd4b57-598e-4753-8274-1172c7195468/action/cancel`);
    const failed = readTemplate(fixture('vapp_template_upload_failed.xml'));
    assert.equal(failed.tasks[0].status, 'error');
    assert.equal(failed.tasks[0].progress, 1);
  });

  test('task documents: progress and status', () => {
    assert.deepEqual(
      [readTaskText(fixture('finalize_upload_task_response.xml')), readTaskText(fixture('finalize_upload_task_done_response.xml'))].map((t) => [t.status, t.progress]),
      [['running', 50], ['success', 100]],
    );
  });

  test('an Error body gives its message and codes; other bodies give nothing', () => {
    const e = readServerError('<Error xmlns="http://www.vmware.com/vcloud/v1.5" minorErrorCode="BAD_REQUEST" message="The VCD entity x already exists." majorErrorCode="400"/>');
    assert.deepEqual(e, { message: 'The VCD entity x already exists.', majorErrorCode: '400', minorErrorCode: 'BAD_REQUEST' });
    assert.equal(readServerError(fixture('session.xml')), undefined);
    assert.equal(readServerError('not xml at all: Error'), undefined);
  });

  test('a body that is not a template is refused with a clear message', () => {
    assert.throws(() => readTemplate(fixture('session.xml')), /expected a VAppTemplate.*<Session>/);
  });
});
