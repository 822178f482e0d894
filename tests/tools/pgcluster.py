"""A throwaway PostgreSQL cluster for the test suite's PostgreSQL pass.

    python tests/tools/pgcluster.py run -- <command ...>
        Start a cluster in a temporary folder, run the command with DATABASE_URL pointing at
        it, then stop the cluster and delete the folder (also on failure and Ctrl-C).
        Exits with the command's exit code.
    python tests/tools/pgcluster.py start DIR      prints the DATABASE_URL
    python tests/tools/pgcluster.py stop DIR       stops the cluster and deletes DIR
    python tests/tools/pgcluster.py available      exit 0 when initdb can be found

`halt(folder)` and `resume(folder)` stop and restart a started cluster, keeping its data
(the fault tests take the database away from a running worker).

The cluster listens only on a Unix socket in its own folder and on 127.0.0.1 at a free
port, trusts local connections, and runs with fsync off (it is thrown away). PostgreSQL
refuses to run as root: when this runs as root, the server runs as the unprivileged user
`nobody` and the folder is handed to that user.
"""

import argparse
import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

SEARCH_DIRS = [
    os.environ.get("PG_BIN", ""),
    "/usr/lib/postgresql/17/bin",
    "/usr/lib/postgresql/16/bin",
    "/usr/lib/postgresql/15/bin",
    "/usr/local/pgsql/bin",
    "/opt/homebrew/bin",
    "/usr/local/bin",
    "/usr/bin",
]
UNPRIVILEGED_USER = "nobody"
DATABASE = "badges_test"


class ClusterError(RuntimeError):
    pass


def find_bin_dir() -> Path | None:
    """The folder holding initdb, pg_ctl and postgres (PG_BIN, versioned folders, PATH)."""
    candidates = [Path(d) for d in SEARCH_DIRS if d]
    on_path = shutil.which("initdb")
    if on_path:
        candidates.insert(1, Path(on_path).resolve().parent)
    for folder in candidates:
        if all((folder / name).is_file() for name in ("initdb", "pg_ctl", "postgres")):
            return folder
    return None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    setpriv = shutil.which("setpriv")
    if setpriv:
        return [
            setpriv,
            f"--reuid={UNPRIVILEGED_USER}",
            f"--regid={pwd.getpwnam(UNPRIVILEGED_USER).pw_gid}",
            "--clear-groups",
            "--",
            *command,
        ]
    runuser = shutil.which("runuser")
    if runuser:
        return [runuser, "-u", UNPRIVILEGED_USER, "--", *command]
    raise ClusterError("Running as root, but neither setpriv nor runuser is available.")


def _run(command: list[str], what: str) -> None:
    result = subprocess.run(_as_server_user(command), capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise ClusterError(f"{what} failed ({result.returncode}):\n{result.stdout}{result.stderr}")


def start(folder: Path) -> str:
    """Create and start a cluster in `folder`; return its DATABASE_URL."""
    bin_dir = find_bin_dir()
    if bin_dir is None:
        raise ClusterError("PostgreSQL's initdb was not found (set PG_BIN to its folder).")
    folder.mkdir(parents=True, exist_ok=True)
    data, sockets = folder / "data", folder / "sockets"
    sockets.mkdir(exist_ok=True)
    if os.geteuid() == 0:
        # The server user must own its folder and be able to reach it.
        account = pwd.getpwnam(UNPRIVILEGED_USER)
        for path in (folder, sockets):
            os.chown(path, account.pw_uid, account.pw_gid)
        folder.chmod(0o700)
        parent = folder.parent
        if not os.access(parent, os.X_OK) or (parent.stat().st_mode & 0o001) == 0:
            raise ClusterError(f"{parent} must be searchable by {UNPRIVILEGED_USER}.")
    port = free_port()
    _run(
        [
            str(bin_dir / "initdb"),
            "-D",
            str(data),
            "--auth=trust",
            "--username=postgres",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
        ],
        "initdb",
    )
    _pg_ctl_start(bin_dir, folder, port)
    (folder / "port").write_text(str(port))
    # The test runner creates its own test database from this one's name.
    return f"postgres://postgres@127.0.0.1:{port}/{DATABASE}"


def _pg_ctl_start(bin_dir: Path, folder: Path, port: int) -> None:
    options = (
        f"-c listen_addresses=127.0.0.1 -p {port} -k {folder / 'sockets'} "
        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
        "-c max_connections=40 -c shared_buffers=64MB"
    )
    _run(
        [
            str(bin_dir / "pg_ctl"),
            "-D",
            str(folder / "data"),
            "-l",
            str(folder / "server.log"),
            "-o",
            options,
            "-w",
            "-t",
            "60",
            "start",
        ],
        "pg_ctl start",
    )


def halt(folder: Path) -> None:
    """Stop the server of the cluster in `folder` (fast shutdown: connections are cut) and
    keep its data, for `resume` (fault tests: a database that goes away and comes back)."""
    bin_dir = find_bin_dir()
    if bin_dir is None:
        raise ClusterError("PostgreSQL's pg_ctl was not found.")
    _run(
        [str(bin_dir / "pg_ctl"), "-D", str(folder / "data"), "-m", "fast", "-w", "stop"],
        "pg_ctl stop",
    )


def resume(folder: Path) -> None:
    """Start again, on the same port, the cluster `halt` stopped."""
    bin_dir = find_bin_dir()
    if bin_dir is None:
        raise ClusterError("PostgreSQL's pg_ctl was not found.")
    _pg_ctl_start(bin_dir, folder, int((folder / "port").read_text()))


def stop(folder: Path) -> None:
    """Stop the cluster in `folder` (if it runs) and delete the folder."""
    bin_dir = find_bin_dir()
    data = folder / "data"
    if bin_dir and (data / "postmaster.pid").exists():
        with contextlib.suppress(ClusterError):
            _run(
                [str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                "pg_ctl stop",
            )
    shutil.rmtree(folder, ignore_errors=True)


def run(command: list[str]) -> int:
    base = Path(os.environ.get("PGCLUSTER_TMPDIR") or tempfile.gettempdir())
    folder = Path(tempfile.mkdtemp(prefix="badges-pg-", dir=base))
    folder.chmod(0o755)

    def interrupted(signum, _frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGHUP, interrupted)
    try:
        url = start(folder)
        print(f"pgcluster: PostgreSQL running at {url} (folder {folder})", flush=True)
        env = {**os.environ, "DATABASE_URL": url}
        return subprocess.call(command, env=env)
    except ClusterError as error:
        print(f"pgcluster: {error}", file=sys.stderr)
        log = folder / "server.log"
        if log.exists():
            print(log.read_text()[-4000:], file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("pgcluster: interrupted; stopping PostgreSQL", file=sys.stderr)
        return 130
    finally:
        stop(folder)
        print("pgcluster: PostgreSQL stopped and its folder deleted", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="action", required=True)
    sub.add_parser("available")
    sub.add_parser("start").add_argument("folder", type=Path)
    sub.add_parser("stop").add_argument("folder", type=Path)
    run_parser = sub.add_parser("run")
    run_parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)

    if args.action == "available":
        folder = find_bin_dir()
        if folder is None:
            print("pgcluster: initdb not found (install PostgreSQL or set PG_BIN)")
            return 1
        print(f"pgcluster: PostgreSQL binaries in {folder}")
        return 0
    if args.action == "start":
        try:
            print(start(args.folder))
        except ClusterError as error:
            print(f"pgcluster: {error}", file=sys.stderr)
            stop(args.folder)
            return 2
        return 0
    if args.action == "stop":
        stop(args.folder)
        return 0
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("run needs a command after --")
    return run(command)


if __name__ == "__main__":
    sys.exit(main())
