"""The package installs with pip without the package index, with its metadata and typed marker."""
import os
import subprocess
import sys
import tempfile
import unittest

PROJECT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def pip_available():
    return subprocess.run([sys.executable, "-m", "pip", "--version"], capture_output=True).returncode == 0


@unittest.skipUnless(pip_available(), "needs pip")
class OfflineInstallTests(unittest.TestCase):
    def install(self, *options):
        target = tempfile.mkdtemp(prefix="botstate-client-")
        self.addCleanup(subprocess.run, ["rm", "-rf", target])
        result = subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "--no-index", "--disable-pip-version-check",
             "--target", target, *options, PROJECT],
            capture_output=True, text=True, timeout=120)
        self.assertEqual(0, result.returncode, result.stderr)
        return target

    def test_installs_offline_without_build_isolation_with_metadata_and_typed_marker(self):
        target = self.install("--no-build-isolation")

        with open(os.path.join(target, "botstate_client-0.1.0.dist-info", "METADATA"), encoding="utf-8") as file:
            metadata = file.read()
        self.assertIn("\nLicense: MIT\n", metadata)
        self.assertIn("\nRequires-Python: >=3.9\n", metadata)
        self.assertIn("# botstate-client", metadata)  # the README is the long description
        self.assertTrue(os.path.isfile(os.path.join(target, "botstate_client-0.1.0.dist-info", "LICENSE")))
        self.assertTrue(os.path.isfile(os.path.join(target, "botstate_client", "py.typed")))
        imported = subprocess.run(
            [sys.executable, "-c", "import botstate_client; print(botstate_client.__file__)"],
            cwd=target, env={**os.environ, "PYTHONPATH": target}, capture_output=True, text=True)
        self.assertEqual(os.path.join(target, "botstate_client", "__init__.py"), imported.stdout.strip(), imported.stderr)

    def test_installs_offline_with_build_isolation_and_leaves_the_source_tree_clean(self):
        before = sorted(os.listdir(PROJECT))
        target = self.install()
        self.assertTrue(os.path.isfile(os.path.join(target, "botstate_client", "states.py")))
        self.assertEqual(before, sorted(os.listdir(PROJECT)))


class BackendWithoutTomllibTests(unittest.TestCase):
    def test_the_fallback_reader_of_older_pythons_reads_what_tomllib_reads(self):
        try:
            import tomllib
        except ImportError:
            self.skipTest("needs Python 3.11+ to compare with tomllib")
        sys.path.insert(0, os.path.join(PROJECT, "build_backend"))
        self.addCleanup(sys.path.remove, os.path.join(PROJECT, "build_backend"))
        import botstate_build

        with open(os.path.join(PROJECT, "pyproject.toml"), encoding="utf-8") as file:
            text = file.read()
        fallback = botstate_build._project_without_tomllib(text)
        expected = tomllib.loads(text)["project"]

        for field in ("name", "version", "description", "readme", "license", "requires-python"):
            self.assertEqual(expected[field], fallback[field], field)


if __name__ == "__main__":
    unittest.main()
