"""Adds up what test.sh ran and prints the closing line CI reads: 'N passed, N failed'.

Reads the .trx files of the .NET test runs, the unittest output of the Python client tests (against
the gateway, and against the silo's own API) and of the run.sh/importer tests, the TAP report of the
TypeScript client tests, the OpenAPI lint log, the deployment validation log and the log of
scripts/check-docs.sh from the results directory given as the only argument. A suite that produced no
result counts as failed, so a crash can never look green.
"""
import pathlib
import re
import sys
import xml.etree.ElementTree as ET

EXPECTED_TRX = ["UnitTests.trx", "IntegrationTests.trx", "EndToEndTests.trx"]
MESSAGE_CHARS = 600
NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}


def dotnet(results):
    passed = failed = 0
    for name in EXPECTED_TRX:
        path = results / name
        if not path.exists():
            print(f"{name[:-4]}: no results (the run crashed or did not start)")
            failed += 1
            continue
        root = ET.parse(path).getroot()
        counters = root.find("t:ResultSummary/t:Counters", NS)
        p, f = int(counters.get("passed")), int(counters.get("failed")) + int(counters.get("error", 0))
        print(f"{name[:-4]}: {p} passed, {f} failed")
        print_failures(root)
        passed, failed = passed + p, failed + f
    return passed, failed


def print_failures(root):
    """Names each failed test with the head of its message, so the tail of a CI log says what broke."""
    for result in root.iterfind("t:Results/t:UnitTestResult", NS):
        if result.get("outcome") not in ("Failed", "Error"):
            continue
        message = result.findtext("t:Output/t:ErrorInfo/t:Message", default="", namespaces=NS)
        head = " ".join(message.split())[:MESSAGE_CHARS]
        print(f"  FAILED {result.get('testName')} ({result.get('duration')}): {head}")


def python(results, log="python.log", suite="Python client"):
    path = results / log
    if not path.exists():
        return 0, 0
    text = path.read_text(errors="replace")
    ran = re.search(r"^Ran (\d+) tests?", text, re.M)
    if not ran:
        print(f"{suite}: no results")
        return 0, 1
    total = int(ran.group(1))
    bad = sum(int(n) for n in re.findall(r"(?:failures|errors)=(\d+)", text))
    skipped = sum(int(n) for n in re.findall(r"skipped=(\d+)", text))
    if not re.search(r"^OK", text, re.M) and bad == 0:
        bad = 1
    print(f"{suite}: {total - bad - skipped} passed, {bad} failed, {skipped} skipped")
    return total - bad - skipped, bad


def node(results, log="typescript.tap", suite="TypeScript client"):
    """node --test's TAP report: its closing '# pass N' and '# fail N' lines; required, since the step always runs."""
    path = results / log
    text = path.read_text(errors="replace") if path.exists() else ""
    counts = {name: int(n) for name, n in re.findall(r"^# (pass|fail|cancelled|skipped|todo) (\d+)$", text, re.M)}
    if "pass" not in counts or "fail" not in counts:
        print(f"{suite}: no results (the build or the run failed before the report)")
        return 0, 1
    passed, failed = counts["pass"], counts["fail"] + counts.get("cancelled", 0)
    print(f"{suite}: {passed} passed, {failed} failed, {counts.get('skipped', 0) + counts.get('todo', 0)} skipped")
    return passed, failed


def single_check(results, log, suite, required=False):
    """A step that is one check: failed when its log's last line is FAILED; a required one also when it left no log."""
    path = results / log
    if not path.exists():
        if required:
            print(f"{suite}: no results")
            return 0, 1
        return 0, 0
    failed = "FAILED" in path.read_text(errors="replace").splitlines()[-1:]
    print(f"{suite}: {'0 passed, 1 failed' if failed else '1 passed, 0 failed'}")
    return (0, 1) if failed else (1, 0)


def check_docs(results):
    """The README's and docs/' commands (scripts/check-docs.sh): a missing log or closing line is a failure."""
    path = results / "check-docs.log"
    text = path.read_text(errors="replace") if path.exists() else ""
    counts = re.search(r"^check-docs: (\d+) passed, (\d+) failed", text, re.M)
    if not counts:
        print("Docs commands: no results (check-docs.sh crashed or did not run)")
        return 0, 1
    passed, failed = int(counts.group(1)), int(counts.group(2))
    print(f"Docs commands: {passed} passed, {failed} failed")
    for line in text.splitlines():
        if line.startswith("FAILED"):
            print("  " + line)
    return passed, failed


def main():
    results = pathlib.Path(sys.argv[1])
    totals = [
        dotnet(results),
        python(results),
        python(results, "python-silo.log", "Python client (silo-served API)"),
        node(results),
        python(results, "scripts.log", "run.sh and importer"),
        single_check(results, "openapi-lint.log", "OpenAPI lint", required=True),
        single_check(results, "deploy.log", "Deployment manifests"),
        check_docs(results),
    ]
    figures = results / "figures.txt"
    if figures.exists():
        for line in figures.read_text().splitlines():
            print("figure: " + line)
    passed, failed = sum(t[0] for t in totals), sum(t[1] for t in totals)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
