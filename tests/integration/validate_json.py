# validate_json.py SCHEMA DOC: exit 0 when the JSON document DOC follows the JSON Schema
# (draft 2020-12) SCHEMA, else 1 with the first errors on stderr. Run with Debian's
# /usr/bin/python3, where python3-jsonschema is installed.
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
doc = json.load(open(sys.argv[2]))
errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(doc), key=str)
for e in errors[:5]:
    print("%s: %s" % (e.json_path, e.message[:300]), file=sys.stderr)
sys.exit(1 if errors else 0)
