"""./run.sh and the importer as a user runs them, on the existing build (test.sh builds first).

Every run gets its own ports, cluster id and SQLite file, so nothing here touches a service or
database of the machine; every process started is stopped by the test.
"""
import http.server
import json
import os
import signal
import socket
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.request
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CONFIGURATION = os.environ.get("CONFIGURATION", "Release")
BUILT = all(
    os.path.isfile(os.path.join(ROOT, kind, "bin", CONFIGURATION, "net10.0", "BotStateCluster.%s.dll" % kind))
    for kind in ("Silo", "Gateway"))
# Product settings of the test runner's environment must not leak into the processes under test.
PRODUCT_VARIABLES = ("DB_URL", "SILO_PORT", "GATEWAY_PORT", "CLUSTERING", "API_KEYS", "HISTORY_LIMIT", "DASHBOARD_", "SILO_API_",
                     "ASPNETCORE_", "ORLEANS_", "LOG_", "GATEWAY_URL", "SILO_URL", "SKIP_BUILD")
START_TIMEOUT = 120
STOP_TIMEOUT = 45


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def clean_environment(**settings):
    environment = {name: value for name, value in os.environ.items() if not name.startswith(PRODUCT_VARIABLES)}
    environment.update(settings)
    return environment


class RunSh:
    """One ./run.sh in its own session, its output collected as it comes."""

    def __init__(self, test, **settings):
        self.directory = tempfile.mkdtemp(prefix="botstate-runsh-")
        test.addCleanup(subprocess.run, ["rm", "-rf", self.directory])
        self.database = os.path.join(self.directory, "botstate.db")
        self.gateway_url = "http://127.0.0.1:%d" % free_port()
        self.silo_url = "http://127.0.0.1:%d" % free_port()
        self.environment = clean_environment(
            SKIP_BUILD="1", CONFIGURATION=CONFIGURATION, GATEWAY_URL=self.gateway_url, SILO_URL=self.silo_url,
            SILO_PORT=str(free_port()), GATEWAY_PORT=str(free_port()), DB_URL="sqlite:///" + self.database,
            ORLEANS_CLUSTER_ID="runsh-" + uuid.uuid4().hex[:12])
        self.environment.update(settings)
        self.lines = []
        self.process = subprocess.Popen(
            ["./run.sh"], cwd=ROOT, env=self.environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True, start_new_session=True, preexec_fn=RunSh._terminal_signals)
        test.addCleanup(self.kill)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    @staticmethod
    def _terminal_signals():
        """SIGINT as a terminal's shell leaves it: a runner started as a background job of a script inherits it
        ignored, and a bash started with SIGINT ignored cannot trap it, so Ctrl-C would never reach run.sh."""
        signal.signal(signal.SIGINT, signal.SIG_DFL)

    def _read(self):
        for line in self.process.stdout:
            self.lines.append(line)

    @property
    def output(self):
        return "".join(self.lines)

    def wait_for(self, text, timeout):
        deadline = time.monotonic() + timeout
        while text not in self.output:
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError("run.sh never printed %r (exit %s):\n%s" % (text, self.process.poll(), self.output))
            time.sleep(0.1)

    def exit_code(self, timeout):
        try:
            code = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError("run.sh still running after %ss:\n%s" % (timeout, self.output)) from None
        self.reader.join(5)  # the last lines
        return code

    def interrupt(self):
        """Ctrl-C in a terminal: SIGINT to the whole foreground group."""
        os.killpg(self.process.pid, signal.SIGINT)

    def kill(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.reader.join(5)
        self.process.stdout.close()


class HeldPort:
    """A listener on 127.0.0.1:port that answers 200 to everything, like another service would."""

    def __init__(self, port):
        class Answer(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Answer)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@unittest.skipUnless(BUILT, "needs the %s build of Silo and Gateway (./test.sh builds it)" % CONFIGURATION)
class RunShFailureTests(unittest.TestCase):
    def test_a_port_already_in_use_is_named_before_anything_starts(self):
        for variable in ("GATEWAY_URL", "SILO_URL", "SILO_PORT", "GATEWAY_PORT"):
            with self.subTest(variable):
                port = free_port()
                held = HeldPort(port)
                self.addCleanup(held.close)
                value = "http://127.0.0.1:%d" % port if variable.endswith("URL") else str(port)
                started = time.monotonic()
                run = RunSh(self, **{variable: value})

                self.assertEqual(1, run.exit_code(30))
                self.assertIn("error: %s: " % variable, run.output)
                self.assertIn("%d is already in use" % port, run.output)
                self.assertNotIn("is running", run.output)
                self.assertLess(time.monotonic() - started, 15)

    def test_a_process_that_exits_ends_the_wait_at_once_with_its_code(self):
        started = time.monotonic()
        run = RunSh(self, HISTORY_LIMIT="-1")

        self.assertEqual(1, run.exit_code(60))
        self.assertIn("error: the silo exited with code 2 before it became ready", run.output)
        self.assertIn("HISTORY_LIMIT", run.output)
        self.assertNotIn("is running", run.output)
        self.assertLess(time.monotonic() - started, 45)  # not the 90 s readiness budget


@unittest.skipUnless(BUILT, "needs the %s build of Silo and Gateway (./test.sh builds it)" % CONFIGURATION)
class RunShAndImporterTests(unittest.TestCase):
    def test_run_sh_serves_the_importer_writes_into_it_and_ctrl_c_stops_both(self):
        run = RunSh(self)
        run.wait_for("Press Ctrl-C to stop.", START_TIMEOUT)
        self.assertIn("Dashboard  %s/dashboard" % run.silo_url, run.output)

        # docs/migrating.md's command, from the directory holding the file: relative paths mean that directory.
        workdir = os.path.join(run.directory, "export")
        os.makedirs(workdir)
        thread = "import-" + uuid.uuid4().hex
        write_states(os.path.join(workdir, "state.jsonl"), thread)
        imported = self.import_file(run, workdir, "state.jsonl", run.environment["DB_URL"])

        self.assertEqual(0, imported.returncode, imported.stdout + imported.stderr)
        self.assertIn("import: reading %s\n" % os.path.join(workdir, "state.jsonl"), imported.stdout)
        self.assertIn("import: writing into sqlite file %s (the running silo's database)" % run.database, imported.stdout)
        self.assertIn("imported 1", imported.stdout)
        self.assertEqual("imported_node", get_state(run.gateway_url, thread)["current_node"])
        # The silo serves the same API itself (SILO_API_ENABLED is on in run.sh).
        self.assertIn("%s/v1/states/{userId}" % run.silo_url, run.output)
        self.assertEqual(get_state(run.gateway_url, thread), get_state(run.silo_url, thread))

        # The same command with DB_URL's default meaning another file under this directory: refused.
        other = "import-" + uuid.uuid4().hex
        write_states(os.path.join(workdir, "other.jsonl"), other)
        refused = self.import_file(run, workdir, "other.jsonl", "sqlite:///data/botstate.db")

        self.assertEqual(1, refused.returncode, refused.stdout + refused.stderr)
        self.assertIn("import: refused: the running silo writes to sqlite file %s" % run.database, refused.stderr)
        self.assertIn("DB_URL here means sqlite file %s" % os.path.join(workdir, "data", "botstate.db"), refused.stderr)
        self.assertIsNone(get_state(run.gateway_url, other))

        run.interrupt()
        self.assertEqual(0, run.exit_code(STOP_TIMEOUT))
        self.assertIn("Stopped.", run.output)
        for url in (run.gateway_url, run.silo_url):
            with self.assertRaises(urllib.error.URLError):
                urllib.request.urlopen(url + "/health", timeout=2)

    def import_file(self, run, workdir, name, db_url):
        environment = clean_environment(
            DB_URL=db_url, GATEWAY_PORT=run.environment["GATEWAY_PORT"], ORLEANS_CLUSTER_ID=run.environment["ORLEANS_CLUSTER_ID"])
        return subprocess.run(
            ["dotnet", "run", "--project", os.path.join(ROOT, "Silo"), "-c", CONFIGURATION, "--no-build", "--", "import", name],
            cwd=workdir, env=environment, capture_output=True, text=True, timeout=120)


def write_states(path, thread):
    state = {"thread_id": thread, "current_node": "imported_node", "date": "2024-03-01T08:00:00.000000+00:00"}
    with open(path, "w", encoding="utf-8") as file:
        file.write(json.dumps(state) + "\n")


def get_state(gateway_url, thread):
    try:
        with urllib.request.urlopen("%s/v1/states/%s" % (gateway_url, urllib.request.quote(thread, safe="")), timeout=15) as answer:
            return json.loads(answer.read())
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return None
        raise


if __name__ == "__main__":
    unittest.main()
