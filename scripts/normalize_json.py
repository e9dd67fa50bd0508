"""Writes the JSON document read from standard input in one canonical form: keys sorted at every
level, two-space indent, non-ASCII text as it is, one trailing newline. Two documents with the same
content then have the same bytes, so a committed copy changes only when its content does."""
import json
import sys


def main():
    document = json.load(sys.stdin)
    sys.stdout.write(json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
