"""The package installs with pip from the repository without the package index, with all of its metadata.

The build backend is hatchling (Debian: python3-hatchling), used without build isolation because an
offline machine cannot fetch it; the dependencies come from the system (Debian: python3-httpx), so
pip is told not to resolve them, and the test checks that they are declared in the metadata instead.
"""
import os
import subprocess
import sys
import tempfile
import tomllib
import unittest

PROJECT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DIST_INFO = "botstate_client-0.1.0.dist-info"


def metadata_fields(text):
    """The header of a METADATA file as (name, value) pairs, in order; the README body after it is left out."""
    header = text.split("\n\n", 1)[0]
    return [tuple(line.split(": ", 1)) for line in header.splitlines()]


class OfflineInstallTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.before = sorted(os.listdir(PROJECT))
        cls.target = tempfile.mkdtemp(prefix="botstate-client-")
        result = subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "--no-index", "--no-deps", "--no-build-isolation",
             "--disable-pip-version-check", "--target", cls.target, PROJECT],
            capture_output=True, text=True, timeout=120)
        cls.pip = result
        with open(os.path.join(PROJECT, "pyproject.toml"), "rb") as file:
            cls.project = tomllib.load(file)["project"]

    @classmethod
    def tearDownClass(cls):
        subprocess.run(["rm", "-rf", cls.target])

    def setUp(self):
        self.assertEqual(0, self.pip.returncode, self.pip.stderr)

    def read(self, *path):
        with open(os.path.join(self.target, *path), encoding="utf-8") as file:
            return file.read()

    def test_every_field_of_the_project_table_reaches_the_metadata(self):
        metadata = self.read(DIST_INFO, "METADATA")
        fields = metadata_fields(metadata)

        self.assertIn(("Name", self.project["name"]), fields)
        self.assertIn(("Version", self.project["version"]), fields)
        self.assertIn(("Summary", self.project["description"]), fields)
        self.assertIn(("Requires-Python", self.project["requires-python"]), fields)
        self.assertTrue(("License-Expression", "MIT") in fields or ("License", "MIT") in fields, fields)
        for dependency in self.project["dependencies"]:
            self.assertIn(("Requires-Dist", dependency), fields)
        for classifier in self.project["classifiers"]:
            self.assertIn(("Classifier", classifier), fields)
        self.assertIn("# botstate-client", metadata)  # the README is the long description

    def test_the_license_typed_marker_and_every_module_are_installed(self):
        installed = set(os.listdir(os.path.join(self.target, "botstate_client")))
        in_source = {name for name in os.listdir(os.path.join(PROJECT, "botstate_client")) if name.endswith(".py") or name == "py.typed"}

        self.assertEqual(set(), in_source - installed)
        license_files = [name for _, _, names in os.walk(os.path.join(self.target, DIST_INFO)) for name in names if name == "LICENSE"]
        self.assertEqual(["LICENSE"], license_files)

    def test_the_installed_package_imports_from_where_it_was_installed(self):
        imported = subprocess.run(
            [sys.executable, "-c", "import botstate_client; print(botstate_client.__file__)"],
            cwd=self.target, env={**os.environ, "PYTHONPATH": self.target}, capture_output=True, text=True)
        self.assertEqual(os.path.join(self.target, "botstate_client", "__init__.py"), imported.stdout.strip(), imported.stderr)

    def test_building_leaves_the_source_tree_as_it_was(self):
        self.assertEqual(self.before, sorted(os.listdir(PROJECT)))


if __name__ == "__main__":
    unittest.main()
