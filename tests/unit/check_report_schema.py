#!/usr/bin/env python3
"""check_report_schema.py: validate report.json files against the JSON Schema
translator/report.schema.json (Draft 2020-12), with Debian's python3-jsonschema
(tools/setup.sh installs it).  Also checks that the schema's report_version is
the one translator/kp_report.h writes, so the two cannot drift apart.

    check_report_schema.py SCHEMA KP_REPORT_H REPORT.json [REPORT.json ...]

Exits 1 naming each violation (its path in the document), 2 on bad usage."""
import json
import re
import sys


def main(argv):
    if len(argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        import jsonschema
    except ImportError:
        print("check_report_schema: python3-jsonschema is missing (tools/setup.sh installs it)",
              file=sys.stderr)
        return 1
    schema_path, header_path, reports = argv[1], argv[2], argv[3:]
    with open(schema_path) as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    with open(header_path) as f:
        m = re.search(r"#define KREP_VERSION (\d+)", f.read())
    want = schema["properties"]["report_version"]["const"]
    if not m or int(m.group(1)) != want:
        print("check_report_schema: %s says KREP_VERSION %s, %s says report_version %s"
              % (header_path, m.group(1) if m else "nothing", schema_path, want), file=sys.stderr)
        return 1
    validator = jsonschema.Draft202012Validator(schema)
    bad = 0
    for path in reports:
        with open(path) as f:
            doc = json.load(f)
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
        for e in errors[:20]:
            where = "/".join(str(p) for p in e.absolute_path) or "(top)"
            print("%s: %s: %s" % (path, where, e.message), file=sys.stderr)
        if errors:
            bad += 1
            print("check_report_schema: %s: %d violations" % (path, len(errors)), file=sys.stderr)
        else:
            print("check_report_schema: %s: valid (report_version %s)" % (path, doc.get("report_version")))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
