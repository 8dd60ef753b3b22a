# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Command line entry of the IAM + ModelArts visualization-job emulator.

Run ``python tests/emulator/emulator.py --port 0 --port-file FILE``; see README.md.
In-process use: put this directory on sys.path and call ``start_emulator(**options)``.
"""

import argparse
import errno
import os
import signal
import sys

import seed
from server import Emulator, loopback_address, start_emulator

__all__ = ["Emulator", "start_emulator", "main"]


def build_parser():
    """Return the argument parser of the CLI."""
    parser = argparse.ArgumentParser(description="Loopback emulator of IAM and ModelArts visualization jobs.")
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="TCP port, 0 picks a free one (default 0)")
    parser.add_argument("--port-file", help="write the bound port here once listening")
    parser.add_argument("--tls", action="store_true", help="serve HTTPS with a generated CA (needs --cert-dir)")
    parser.add_argument("--cert-dir", help="directory for ca.pem, server.pem and server-key.pem")
    parser.add_argument("--bulk-jobs", type=int, default=0, help="generate N jobs in project eu-nl")
    parser.add_argument("--token-ttl", type=int, default=86400, help="token lifetime in seconds (default 86400)")
    parser.add_argument("--max-requests", type=int, default=100000, help="stop after N requests (default 100000)")
    parser.add_argument("--lifetime", type=float, default=1800, help="stop after N seconds (default 1800)")
    parser.add_argument("--log-file", help="access log file (default: stderr)")
    parser.add_argument("--pid-file", help="write the process id here")
    parser.add_argument("--foreign-port-file",
                        help="also listen on a second, 'foreign' port (same state; its requests are logged with"
                             " listener 'foreign') and write that port here")
    parser.add_argument("--transition-seconds", type=float, default=1.0,
                        help="seconds each asynchronous status step of a write takes (default 1.0)")
    parser.add_argument("--interactive", action="store_true",
                        help="for a person at a terminal (make emulator): no time or request limit (--lifetime and"
                             " --max-requests are ignored), runs until Ctrl-C, and prints the export lines of the"
                             " HWCLOUD_* variables that point the collection at it; tests always give a bound instead")
    return parser


# A seeded job that runs (tests/emulator/README.md, "Seed data"), named in the --interactive banner.
TRY_JOB_ID, TRY_JOB_NAME = 101, "tb-resnet50"


def export_lines(url):
    """The shell lines that point the collection's modules and event source at the emulator at ``url``: the
    Huawei environment family with the seed's permanent AK/SK and the eu-de project (found by its region name)."""
    variables = (("HWCLOUD_IAM_ENDPOINT", url), ("HWCLOUD_MODELARTS_ENDPOINT", url), ("HWCLOUD_REGION", "eu-de"),
                 ("HWCLOUD_ACCESS_KEY", seed.PERMANENT_AK), ("HWCLOUD_SECRET_KEY", seed.PERMANENT_SK))
    return ["export %s=%s" % pair for pair in variables]


def _banner(url):
    """What --interactive prints once the emulator listens."""
    lines = ["", "The ModelArts emulator runs until Ctrl-C (no time or request limit). In another terminal, paste:", ""]
    lines += export_lines(url)
    lines += ["", "# a running job of its seed: job_id %d, name %s" % (TRY_JOB_ID, TRY_JOB_NAME), ""]
    return "\n".join(lines)


def write_atomically(path, text):
    """Write ``text`` to ``path`` through a temporary file and a rename."""
    temporary = "%s.%d.tmp" % (path, os.getpid())
    with open(temporary, "w") as handle:
        handle.write(text)
    os.replace(temporary, path)


def _remove(path):
    if path:
        try:
            os.remove(path)
        except OSError:
            pass


def main(argv=None):
    """Run the emulator until SIGTERM/SIGINT, --lifetime or --max-requests (with --interactive: until SIGTERM/SIGINT
    only); return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        loopback_address(args.host)
    except ValueError as exc:
        parser.error(str(exc))
    if args.tls and not args.cert_dir:
        parser.error("--tls needs --cert-dir")
    if args.bulk_jobs < 0 or args.token_ttl <= 0 or args.max_requests < 0 or args.lifetime <= 0:
        parser.error("--bulk-jobs and --max-requests must be >= 0, --token-ttl and --lifetime > 0")
    if args.transition_seconds < 0:
        parser.error("--transition-seconds must be >= 0")
    lifetime, max_requests = (None, 0) if args.interactive else (args.lifetime, args.max_requests)
    log_stream = open(args.log_file, "a", buffering=1) if args.log_file else sys.stderr
    try:
        if args.pid_file:
            write_atomically(args.pid_file, "%d\n" % os.getpid())
        try:
            emulator = Emulator(host=args.host, port=args.port, tls=args.tls, cert_dir=args.cert_dir,
                                bulk_jobs=args.bulk_jobs, token_ttl=args.token_ttl, max_requests=max_requests,
                                lifetime=lifetime, log_stream=log_stream, transition_seconds=args.transition_seconds,
                                foreign_listener=bool(args.foreign_port_file))
        except OSError as exc:
            if exc.errno not in (errno.EADDRINUSE, errno.EACCES, errno.EADDRNOTAVAIL):
                raise
            parser.exit(2, "%s: cannot listen on %s port %d: %s (--port 0 picks a free port; with make:"
                        " make emulator EMULATOR_PORT=0)\n" % (parser.prog, args.host, args.port, exc.strerror))
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda _signum, _frame: emulator.request_stop())
        emulator.start()
        if args.foreign_port_file:
            write_atomically(args.foreign_port_file, "%d\n" % emulator.servers[1].server_address[1])
        if args.port_file:
            write_atomically(args.port_file, "%d\n" % emulator.port)
        print("emulator listening on %s" % emulator.url, flush=True)
        if args.interactive:
            print(_banner(emulator.url), flush=True)
        while not emulator.wait(0.5):
            pass
        emulator.access_log.message("emulator stopped")
    finally:
        _remove(args.port_file)
        _remove(args.foreign_port_file)
        _remove(args.pid_file)
        if log_stream is not sys.stderr:
            log_stream.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
