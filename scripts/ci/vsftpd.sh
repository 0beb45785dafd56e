#!/usr/bin/env bash
# Runs the FTPS transfer suite (test/transfer/ftps*) against Debian's vsftpd instead of the npm
# server: installs vsftpd, creates a local test user whose home is the staging folder, a read-only
# folder and a tiny "full" folder, then runs the suite with OVFKIT_FTPS_SERVER=vsftpd. The tests
# start vsftpd themselves (test/support/ftpsServer.ts) with ssl_enable=YES, force_local_logins_ssl=YES,
# force_local_data_ssl=YES, require_ssl_reuse=YES, on 127.0.0.1, with a certificate from the test CA.
# Needs root (useradd, chpasswd, mount, and vsftpd itself).
# `vsftpd.sh --env` only prepares the user and folders and prints the OVFKIT_FTPS_* settings as
# KEY=VALUE lines (npm run bench uses this to upload to vsftpd); the full folder stays mounted.
# `--rate-per-connection BYTES_PER_S` (before or with --env) caps every vsftpd session the tests
# or benches start at that rate (local_max_rate), so one stream is link-limited as on a long real
# path; CI's normal run passes nothing and stays uncapped.
set -euo pipefail
cd "$(dirname "$0")/../.."

rate=""
if [ "${1:-}" = "--rate-per-connection" ]; then
  rate="${2:-}"
  case "$rate" in ''|*[!0-9]*) echo "vsftpd.sh: --rate-per-connection needs a whole number of bytes per second" >&2; exit 2 ;; esac
  shift 2
fi

if [ ! -x /usr/sbin/vsftpd ]; then
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends vsftpd >/dev/null 2>&1
fi
# The package may start a system-wide vsftpd on port 21; the suite uses its own instances.

user=ovfkit-ftps
home=/srv/ovfkit-ftps
password="$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 24)"
id -u "$user" >/dev/null 2>&1 || useradd --home-dir "$home" --create-home --shell /bin/bash "$user"
mkdir -p "$home"
chown "$user:" "$home"
echo "$user:$password" | chpasswd
# PAM's pam_shells wants the user's shell listed.
grep -qx /bin/bash /etc/shells || echo /bin/bash >> /etc/shells

# "full": a 1 MiB tmpfs, so a multi-MiB upload runs out of space (skipped where mounting is not allowed).
full="$home/full"
mkdir -p "$full"
full_dir=""
if mountpoint -q "$full" || mount -t tmpfs -o size=1m,mode=0755 tmpfs "$full" 2>/dev/null; then
  chown "$user:" "$full"
  full_dir=full
else
  echo "vsftpd.sh: cannot mount a tmpfs here; the full-folder test will be skipped" >&2
fi
if [ "${1:-}" = "--env" ]; then
  printf 'OVFKIT_FTPS_SERVER=vsftpd\nOVFKIT_FTPS_USER=%s\nOVFKIT_FTPS_PASSWORD=%s\nOVFKIT_FTPS_HOME=%s\nOVFKIT_FTPS_FULL_DIR=%s\n' "$user" "$password" "$home" "$full_dir"
  if [ -n "$rate" ]; then printf 'OVFKIT_FTPS_RATE_PER_CONNECTION=%s\n' "$rate"; fi
  exit 0
fi
cleanup() { if [ -n "$full_dir" ]; then umount "$full" 2>/dev/null || true; fi; }
trap cleanup EXIT

OVFKIT_FTPS_SERVER=vsftpd OVFKIT_FTPS_USER="$user" OVFKIT_FTPS_PASSWORD="$password" \
  OVFKIT_FTPS_HOME="$home" OVFKIT_FTPS_FULL_DIR="$full_dir" OVFKIT_FTPS_RATE_PER_CONNECTION="$rate" \
  node scripts/test.mjs test/transfer/ftps
