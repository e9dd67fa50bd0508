"""A PEP 517/660 build backend for botstate-client in the standard library alone.

The package is pure Python with no dependencies, so a wheel is a zip of ``botstate_client/`` and
its metadata. Keeping the backend here means installing needs no package index: setuptools older
than 70.1 cannot build a wheel without the separate ``wheel`` package, and a fetched backend is
exactly what an offline machine lacks. Metadata comes from ``pyproject.toml``'s ``[project]``.
"""
import base64
import hashlib
import io
import os
import re
import tarfile
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE = "botstate_client"
LICENSE_FILE = "LICENSE"
_TIMESTAMP = (2026, 1, 1, 0, 0, 0)  # fixed, so that builds are reproducible


# ---- the PEP 517 hooks -----------------------------------------------------------------------

def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def get_requires_for_build_editable(config_settings=None):
    return []


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    project = _project()
    dist_info = _dist_info(project)
    for name, data in _dist_info_files(project).items():
        path = os.path.join(metadata_directory, dist_info, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as file:
            file.write(data)
    return dist_info


prepare_metadata_for_build_editable = prepare_metadata_for_build_wheel


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    files = {}
    for directory, _, names in sorted(os.walk(os.path.join(ROOT, PACKAGE))):
        for name in sorted(names):
            if name.endswith(".py") or name == "py.typed":
                path = os.path.join(directory, name)
                with open(path, "rb") as file:
                    files[os.path.relpath(path, ROOT).replace(os.sep, "/")] = file.read()
    return _write_wheel(wheel_directory, files)


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    # PEP 660's simplest form: a .pth line that puts this directory on sys.path.
    return _write_wheel(wheel_directory, {PACKAGE + ".pth": (ROOT + "\n").encode("utf-8")})


def build_sdist(sdist_directory, config_settings=None):
    project = _project()
    base = "%s-%s" % (_normalized(project["name"]), project["version"])
    members = ["pyproject.toml", "README.md", LICENSE_FILE, "build_backend/botstate_build.py"]
    members += sorted(
        os.path.relpath(os.path.join(directory, name), ROOT).replace(os.sep, "/")
        for directory, _, names in os.walk(os.path.join(ROOT, PACKAGE))
        for name in names
        if name.endswith(".py") or name == "py.typed"
    )
    path = os.path.join(sdist_directory, base + ".tar.gz")
    with tarfile.open(path, "w:gz", format=tarfile.PAX_FORMAT) as archive:
        for member in members:
            with open(os.path.join(ROOT, member), "rb") as file:
                _add_to_tar(archive, base + "/" + member, file.read())
        _add_to_tar(archive, base + "/PKG-INFO", _metadata(project))
    return os.path.basename(path)


# ---- the pieces ------------------------------------------------------------------------------

def _write_wheel(wheel_directory, files):
    project = _project()
    dist_info = _dist_info(project)
    wheel_name = "%s-%s-py3-none-any.whl" % (_normalized(project["name"]), project["version"])
    files = dict(files)
    files.update({dist_info + "/" + name: data for name, data in _dist_info_files(project).items()})
    record = [
        "%s,sha256=%s,%d" % (name, base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode(), len(data))
        for name, data in files.items()
    ]
    record.append(dist_info + "/RECORD,,")
    files[dist_info + "/RECORD"] = ("\n".join(record) + "\n").encode("utf-8")
    with zipfile.ZipFile(os.path.join(wheel_directory, wheel_name), "w", zipfile.ZIP_DEFLATED) as wheel:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, _TIMESTAMP)
            info.external_attr = 0o644 << 16
            wheel.writestr(info, data, zipfile.ZIP_DEFLATED)
    return wheel_name


def _dist_info_files(project):
    with open(os.path.join(ROOT, LICENSE_FILE), "rb") as file:
        license_text = file.read()
    wheel = "Wheel-Version: 1.0\nGenerator: botstate_build\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    return {
        "METADATA": _metadata(project),
        "WHEEL": wheel.encode("utf-8"),
        LICENSE_FILE: license_text,
    }


def _metadata(project):
    with open(os.path.join(ROOT, project["readme"]), encoding="utf-8") as file:
        readme = file.read()
    lines = [
        "Metadata-Version: 2.1",
        "Name: " + project["name"],
        "Version: " + project["version"],
        "Summary: " + project["description"],
        "License: " + project["license"],
        "Requires-Python: " + project["requires-python"],
        "Classifier: License :: OSI Approved :: MIT License",
        "Classifier: Programming Language :: Python :: 3",
        "Classifier: Typing :: Typed",
        "Description-Content-Type: text/markdown",
    ]
    return ("\n".join(lines) + "\n\n" + readme).encode("utf-8")


def _dist_info(project):
    return "%s-%s.dist-info" % (_normalized(project["name"]), project["version"])


def _normalized(name):
    return re.sub(r"[-_.]+", "_", name).lower()


def _project():
    """The string fields of ``[project]`` (tomllib from Python 3.11; before it, the simple lines this file uses)."""
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as file:
        text = file.read()
    try:
        import tomllib
    except ImportError:
        return _project_without_tomllib(text.decode("utf-8"))
    return tomllib.loads(text.decode("utf-8"))["project"]


def _project_without_tomllib(text):
    project, section = {}, None
    for line in text.splitlines():
        header = re.match(r"^\s*\[([^\]]+)\]\s*$", line)
        if header:
            section = header.group(1).strip()
            continue
        pair = re.match(r'^\s*([A-Za-z0-9_-]+)\s*=\s*"((?:[^"\\]|\\.)*)"\s*$', line)
        if section == "project" and pair:
            project[pair.group(1)] = pair.group(2)
    return project


def _add_to_tar(archive, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o644
    info.mtime = 1767225600
    archive.addfile(info, io.BytesIO(data))
