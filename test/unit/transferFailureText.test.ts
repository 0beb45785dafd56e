// The words a failed transfer is shown in: plain, with the editor's buttons in the editor and the
// CLI's flags on the command line, never the other front end's advice. The errors are the ones
// the transfer clients make of what Node and the servers report.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FTPError } from 'basic-ftp';
import { cliFailureText } from '../../client/src/cli/transferFailureText';
import { editorFailureText } from '../../client/src/commands/transferFailureText';
import { readinessDialog } from '../../client/src/commands/uploadReadinessText';
import { classifyFtpsFailure, FtpsManifestMismatchError, FtpsUploadError } from '../../client/src/transfer/ftps';
import { VcloudAuthError, VcloudConnectionError, VcloudTlsError } from '../../client/src/transfer/vcloud/errors';
import { judgeUploadReadiness } from '../../server/src/ovf/upload/uploadReadiness';
import { ReportedFinding } from '../../server/src/ovf/validate';

const FTPS_HOST = 'ftps-eu.cloud-vpn.net';
const nodeError = (code: string, message: string) => Object.assign(new Error(message), { code });
/** As the FTPS uploader throws it: the typed cause inside an FtpsUploadError. */
const ftps = (err: unknown) => new FtpsUploadError(classifyFtpsFailure(err, { host: FTPS_HOST, port: 21, doing: 'connecting and logging in' }), []);

const FAILURES: { name: string; err: unknown; protocol: 'ftps' | 'vcloud' }[] = [
  { name: 'host not found', err: ftps(nodeError('ENOTFOUND', `getaddrinfo ENOTFOUND ${FTPS_HOST} (control socket)`)), protocol: 'ftps' },
  { name: 'refused', err: ftps(nodeError('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.1:21')), protocol: 'ftps' },
  { name: 'untrusted', err: ftps(nodeError('SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain')), protocol: 'ftps' },
  { name: 'expired', err: ftps(nodeError('CERT_HAS_EXPIRED', 'certificate has expired')), protocol: 'ftps' },
  { name: 'login', err: ftps(new FTPError({ code: 530, message: '530 Login incorrect.' } as never)), protocol: 'ftps' },
  { name: 'mismatch', err: new FtpsUploadError(new FtpsManifestMismatchError('disk1.vmdk does not match the manifest: its SHA256 is aa, the manifest says bb; the upload stopped', 'disk1.vmdk'), []), protocol: 'ftps' },
  { name: 'vcloud untrusted', err: new VcloudTlsError('the TLS certificate of vcd.example.com is not trusted (self-signed certificate)'), protocol: 'vcloud' },
  { name: 'vcloud unreachable', err: new VcloudConnectionError('connection to vcd.example.com failed: connect EHOSTUNREACH', 'EHOSTUNREACH'), protocol: 'vcloud' },
  { name: 'vcloud login', err: new VcloudAuthError("https://vcd.example.com refused the login of 'ann@acme' (401): bad credentials. Check the organisation, user and password."), protocol: 'vcloud' },
];

const where = (protocol: 'ftps' | 'vcloud') => (protocol === 'ftps' ? { protocol, host: FTPS_HOST, port: 21, fromRegion: true } : { protocol, host: 'vcd.example.com' });

describe('transfer failures in the editor', () => {
  it('host not found: plain words and Change Region, not the socket error', () => {
    const shown = editorFailureText(FAILURES[0].err, where('ftps'));
    assert.equal(shown.message, `Host ${FTPS_HOST} not found — check the region or your VPN.`);
    assert.deepEqual(shown.actions, ['changeRegion', 'openSettings', 'showLog']);
  });

  it('an untrusted certificate explains and offers to trust a CA file, for both clouds', () => {
    for (const f of [FAILURES[2], FAILURES[6]]) {
      const shown = editorFailureText(f.err, where(f.protocol));
      assert.match(shown.message, /is not trusted\. If this server uses a private CA, trust that CA's certificate \(a PEM file\)/);
      assert.deepEqual(shown.actions, ['trustCaFile', 'showLog']);
    }
  });

  it('a refused login keeps the server\'s words; a manifest mismatch offers Generate Manifest', () => {
    assert.match(editorFailureText(FAILURES[4].err, where('ftps')).message, /^Login to ftps-eu\.cloud-vpn\.net refused \("530 Login incorrect\."\) — check the user name/);
    const mismatch = editorFailureText(FAILURES[5].err, where('ftps'));
    assert.match(mismatch.message, /disk1\.vmdk does not match the manifest.*Regenerate the manifest if the file is right, or fix the file\.$/);
    assert.deepEqual(mismatch.actions, ['generateManifest', 'showLog']);
  });

  it('an explicit host (not a region) is fixed in the settings', () => {
    assert.deepEqual(editorFailureText(FAILURES[0].err, { protocol: 'ftps', host: FTPS_HOST, fromRegion: false }).actions, ['openSettings', 'showLog']);
  });

  it('no failure is worded with CLI flags or raw socket errors', () => {
    for (const f of FAILURES) {
      const { message } = editorFailureText(f.err, where(f.protocol));
      assert.doesNotMatch(message, /--[a-z]|getaddrinfo|control socket|use-system-ca/, `${f.name}: ${message}`);
    }
  });
});

describe('transfer failures on the command line', () => {
  it('host not found names the flags to check', () => {
    assert.equal(cliFailureText(FAILURES[0].err, where('ftps')), `host ${FTPS_HOST} not found — check --host or --region, or connect your VPN`);
  });

  it('an untrusted certificate says --ca FILE, for both clouds', () => {
    for (const f of [FAILURES[2], FAILURES[6]]) assert.match(cliFailureText(f.err, where(f.protocol)), /not trusted — if this server uses a private CA, pass that CA's certificate with --ca FILE \(PEM\)/);
  });

  it('a mismatch says how to regenerate the manifest from the command line', () => {
    assert.match(cliFailureText(FAILURES[5].err, { ...where('ftps'), descriptor: 'web.ovf' }), /regenerate the manifest \(ovfkit manifest web\.ovf\)/);
  });

  it('no failure is worded with editor buttons or settings', () => {
    for (const f of FAILURES) {
      const text = cliFailureText(f.err, where(f.protocol));
      assert.doesNotMatch(text, /Open Settings|setting|Change Region|getaddrinfo|control socket/i, `${f.name}: ${text}`);
    }
  });
});

describe('the editor\'s pre-upload dialog', () => {
  const finding = (code: string): ReportedFinding => ({ code, severity: 'error', message: `${code} message`, span: { start: 0, end: 1 }, range: { start: { line: 2, character: 4 }, end: { line: 2, character: 5 } } });
  const judged = (codes: string[]) => judgeUploadReadiness({ target: 'vcloud', descriptorPath: '/pkg/a.ovf', findings: codes.map(finding), unreadable: [] });

  it('blockers: a modal error listing them, with no way to upload, even when forced', () => {
    for (const force of [false, true]) {
      const d = readinessDialog(judged(['package/missing-file', 'vcloud/hardware-version']), '/pkg/a.ovf', force)!;
      assert.equal(d.kind, 'error');
      assert.equal(d.options.modal, true);
      assert.equal(d.options.detail, '• a.ovf:3:5: package/missing-file message');
      assert.ok(!d.items.includes('Upload Anyway'));
    }
  });

  it('errors the cloud may accept: Upload Anyway is a button, but not the first (focused, Enter) one', () => {
    const d = readinessDialog(judged(['vcloud/hardware-version']), '/pkg/a.ovf', false)!;
    assert.equal(d.kind, 'warning');
    assert.equal(d.options.modal, true);
    assert.deepEqual(d.items, ['Show Problems', 'Upload Anyway']);
    assert.equal(readinessDialog(judged(['vcloud/hardware-version']), '/pkg/a.ovf', true), undefined, 'forced: nothing to ask');
    assert.equal(readinessDialog(judged([]), '/pkg/a.ovf', false), undefined);
  });
});
