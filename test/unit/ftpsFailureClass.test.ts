// Which FTPS failures are retried: plain text where TLS records belong (OpenSSL's "wrong version
// number") means a TLS mismatch before login and a session that ended after it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyFtpsFailure, FtpsConnectionError, FtpsTlsError } from '../../client/src/transfer/ftps';

const where = { host: '127.0.0.1', port: 21, doing: 'uploading disk1.vmdk' };
const openSsl = (socket: 'control' | 'data') =>
  Object.assign(new Error(`80AC:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:ssl3_record.c:354:\n (${socket} socket)`), { code: 'ERR_SSL_WRONG_VERSION_NUMBER' });

describe('FTPS failure classes', () => {
  it('plain text on the control connection before login is a TLS failure, not retried (implicit TLS against an explicit port)', () => {
    const typed = classifyFtpsFailure(openSsl('control'), { ...where, doing: 'connecting and logging in' });
    assert.ok(typed instanceof FtpsTlsError);
    assert.equal(typed.transient, false);
  });

  it('plain text on the control connection of a logged-in session is the session ending (vsftpd 500 OOPS): retried', () => {
    const typed = classifyFtpsFailure(openSsl('control'), { ...where, afterLogin: true });
    assert.ok(typed instanceof FtpsConnectionError);
    assert.equal(typed.transient, true);
    assert.equal(typed.problem, 'connection-reset');
    assert.match(typed.message, /session at 127\.0\.0\.1:21 ended while uploading disk1\.vmdk: it wrote plain text/);
  });

  it('the same wrapped by basic-ftp ("Client is closed because ...") is recognised too', () => {
    const wrapped = new Error(`None of the available transfer strategies work. Last error response was 'Error: Client is closed because ${openSsl('control').message}'.`);
    assert.ok(classifyFtpsFailure(wrapped, { ...where, afterLogin: true }) instanceof FtpsConnectionError);
  });

  it('plain text on a data connection stays a TLS failure, even after login', () => {
    assert.ok(classifyFtpsFailure(openSsl('data'), { ...where, afterLogin: true }) instanceof FtpsTlsError);
  });
});
