"""Every Python snippet of docs/clients.md runs, as written, against the real service (./test.sh sets BOTSTATE_GATEWAY_URL).

Each snippet is a whole program: it is run as its own process with the client on the path, reading the
service's address from the environment as the page says.
"""
import os
import re
import subprocess
import sys
import unittest

PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PAGE = os.path.join(os.path.dirname(os.path.dirname(PACKAGE_ROOT)), "docs", "clients.md")
GATEWAY_URL = os.environ.get("BOTSTATE_GATEWAY_URL")


def python_snippets():
    with open(PAGE, encoding="utf-8") as file:
        return re.findall(r"^```python\n(.*?)^```$", file.read(), re.S | re.M)


class SnippetsFoundTests(unittest.TestCase):
    def test_the_page_has_the_python_snippets_this_test_runs(self):
        self.assertGreaterEqual(len(python_snippets()), 3)


@unittest.skipUnless(GATEWAY_URL, "needs a running service: run ./test.sh, which starts one and sets BOTSTATE_GATEWAY_URL")
class PythonSnippetsRunTests(unittest.TestCase):
    def test_every_python_snippet_runs_against_the_service(self):
        environment = {**os.environ, "PYTHONPATH": PACKAGE_ROOT, "BOTSTATE_GATEWAY_URL": GATEWAY_URL}
        for number, snippet in enumerate(python_snippets(), start=1):
            with self.subTest(snippet=number, first_line=snippet.splitlines()[0]):
                ran = subprocess.run([sys.executable, "-c", snippet], env=environment, capture_output=True, text=True, timeout=60)
                self.assertEqual(0, ran.returncode, "snippet %d:\n%s\n%s" % (number, ran.stdout, ran.stderr))
                self.assertTrue(ran.stdout.strip(), "snippet %d printed nothing" % number)


if __name__ == "__main__":
    unittest.main()
