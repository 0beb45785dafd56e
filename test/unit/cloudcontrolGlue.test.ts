// The pure parts of the CloudControl editor glue: days until a staged package is deleted, and the
// editor's wording of API failures (the server's words verbatim, the setting instead of --ca).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cloudControlFailureText, serverWords } from '../../client/src/cloudcontrol/failureText';
import { daysUntilDeletion, describeDeletion } from '../../client/src/cloudcontrol/stagingExpiry';
import { describeExportProgress, describeImageProgress } from '../../client/src/cloudcontrol/progressText';
import { defaultPrefix } from '../../client/src/cloudcontrol/exportPrefix';
import { CloudControlError } from '../../client/src/transfer/cloudcontrol';

const now = new Date('2026-03-10T12:00:00Z');
const hours = (h: number) => new Date(now.getTime() + h * 3_600_000);

describe('days until a staged package is deleted', () => {
  it('rounds partial days up and stops at 0', () => {
    assert.equal(daysUntilDeletion(hours(14 * 24), now), 14);
    assert.equal(daysUntilDeletion(hours(13 * 24 + 1), now), 14);
    assert.equal(daysUntilDeletion(hours(3), now), 1);
    assert.equal(daysUntilDeletion(hours(0), now), 0);
    assert.equal(daysUntilDeletion(hours(-30), now), 0);
  });

  it('words the deadline for the tree', () => {
    assert.equal(describeDeletion(hours(14 * 24), now), 'deleted in 14 days');
    assert.equal(describeDeletion(hours(5), now), 'deleted within a day');
    assert.equal(describeDeletion(hours(-1), now), 'due for deletion');
    assert.equal(describeDeletion(undefined, now), 'deletion date unknown');
    assert.equal(describeDeletion(new Date('nonsense'), now), 'deletion date unknown');
  });
});

describe('CloudControl failures in the editor', () => {
  it("keeps the server's responseCode and message and names the CA setting instead of --ca", () => {
    const tls = new CloudControlError('tls', 'the TLS certificate of h is not trusted (self-signed); TLS verification stays on: give the CA that signed it (--ca FILE)');
    assert.match(cloudControlFailureText(tls), /\(setting ovfkit\.cloudcontrol\.caFile\)$/);
    const refused = new CloudControlError('refused', 'image/importImage: the server refused (HTTP 400): NAME_NOT_UNIQUE: Image name x is already in use in NA9.', { status: 400, responseCode: 'NAME_NOT_UNIQUE', serverMessage: 'Image name x is already in use in NA9.' });
    assert.equal(cloudControlFailureText(refused), refused.message);
    assert.equal(serverWords(refused), 'NAME_NOT_UNIQUE: Image name x is already in use in NA9.');
    assert.equal(serverWords(new CloudControlError('timeout', 'slow')), undefined);
    assert.equal(serverWords(new Error('x')), undefined);
  });
});

describe('the server progress line', () => {
  it("shows the server's step name, number and percent, or the state when it sent none", () => {
    assert.equal(describeImageProgress({ id: 'i', name: 'web', datacenterId: 'NA9', state: 'PENDING_ADD', progress: { action: 'IMPORT_IMAGE', stepName: 'VALIDATING_PACKAGE', stepNumber: 2, percentComplete: 40 } }), 'VALIDATING_PACKAGE (step 2), 40%');
    assert.equal(describeImageProgress({ id: 'i', name: 'web', datacenterId: 'NA9', state: 'PENDING_ADD' }), 'PENDING_ADD');
    assert.equal(describeExportProgress({ imageExportId: 'e', ovfPackagePrefix: 'p', state: 'IN_PROGRESS', progress: { percentComplete: 75 } }), '75%');
  });

  it('the default export prefix keeps what file names can hold', () => {
    assert.equal(defaultPrefix('Web Server 2 (prod)'), 'Web-Server-2-prod');
    assert.equal(defaultPrefix('///'), 'export');
    assert.equal(defaultPrefix('a'.repeat(150)).length, 100);
  });
});
