// One table of the network and TLS error codes Node reports (errno names from libuv/getaddrinfo,
// OpenSSL verification codes from node:tls), grouped into the few problems a person can act on.
// Both transfer clients classify with it; the front ends word each problem their own way.

export type NetworkProblem =
  /** DNS has no such name (ENOTFOUND): a mistyped host or region, or a name only a VPN resolves. */
  | 'host-not-found'
  /** DNS did not answer (EAI_AGAIN): offline, or the resolver is down. */
  | 'dns-unavailable'
  /** Nothing listens there (ECONNREFUSED): wrong port, or the service is down. */
  | 'connection-refused'
  /** No route (EHOSTUNREACH, ENETUNREACH, ENETDOWN): offline, or a firewall or VPN is missing. */
  | 'unreachable'
  /** No answer in time (ETIMEDOUT). */
  | 'timed-out'
  /** The link broke mid-way (ECONNRESET, EPIPE, premature close). */
  | 'connection-reset'
  /** The certificate does not chain to a trusted CA (self-signed, private CA). */
  | 'certificate-untrusted'
  /** The certificate is expired or not yet valid. */
  | 'certificate-expired'
  /** The certificate is for another name than the host connected to. */
  | 'certificate-name'
  /** The certificate was revoked or rejected. */
  | 'certificate-rejected';

const PROBLEM_OF_CODE: Record<string, NetworkProblem> = {
  ENOTFOUND: 'host-not-found',
  EAI_NONAME: 'host-not-found',
  EAI_AGAIN: 'dns-unavailable',
  ECONNREFUSED: 'connection-refused',
  EHOSTUNREACH: 'unreachable',
  ENETUNREACH: 'unreachable',
  ENETDOWN: 'unreachable',
  ETIMEDOUT: 'timed-out',
  ECONNRESET: 'connection-reset',
  ECONNABORTED: 'connection-reset',
  EPIPE: 'connection-reset',
  ERR_STREAM_PREMATURE_CLOSE: 'connection-reset',
  ERR_SOCKET_CLOSED: 'connection-reset',
  SELF_SIGNED_CERT_IN_CHAIN: 'certificate-untrusted',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'certificate-untrusted',
  UNABLE_TO_GET_ISSUER_CERT: 'certificate-untrusted',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'certificate-untrusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'certificate-untrusted',
  CERT_UNTRUSTED: 'certificate-untrusted',
  CERT_HAS_EXPIRED: 'certificate-expired',
  CERT_NOT_YET_VALID: 'certificate-expired',
  ERR_TLS_CERT_ALTNAME_INVALID: 'certificate-name',
  // A CA of the right name whose key did not sign this certificate: the wrong CA file, in practice.
  CERT_SIGNATURE_FAILURE: 'certificate-untrusted',
  CERT_REJECTED: 'certificate-rejected',
  CERT_REVOKED: 'certificate-rejected',
};

/** The problem behind a Node error code, or undefined for codes that are not network or TLS ones. */
export function networkProblemOf(code: string | undefined): NetworkProblem | undefined {
  return code ? PROBLEM_OF_CODE[code] : undefined;
}

export function isCertificateProblem(problem: NetworkProblem | undefined): boolean {
  return problem !== undefined && problem.startsWith('certificate-');
}

/** Problems after which the same step may work on a new connection; DNS and certificate ones will not. */
export function isTransientProblem(problem: NetworkProblem | undefined): boolean {
  return problem === 'dns-unavailable' || problem === 'connection-refused' || problem === 'unreachable' || problem === 'timed-out' || problem === 'connection-reset';
}
