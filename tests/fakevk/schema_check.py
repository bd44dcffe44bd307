#!/usr/bin/env python3
"""schema_check.py: validates fakevk answers against the VK API JSON schema (5.199 dialect).

Usage: schema_check.py SCHEMA_DIR METHOD [key=value ...] < answer.json
Exits 0 when the answer matches the method's response definition (or is a well-formed VK
error), 1 with the reasons otherwise. For execute, each inner result is checked against its
own method. The schema mixes draft-07 with property-level "required": true; both are honoured.
"""
import json
import os
import re
import sys


class Schema:
    def __init__(self, root):
        self.root = root
        self.cache = {}

    def load(self, rel):
        if rel not in self.cache:
            with open(os.path.join(self.root, rel), encoding="utf-8") as f:
                self.cache[rel] = json.load(f)
        return self.cache[rel]

    def resolve(self, ref, cur):
        path, _, frag = ref.partition("#")
        rel = os.path.normpath(os.path.join(os.path.dirname(cur), path)) if path else cur
        node = self.load(rel)
        for part in frag.strip("/").split("/"):
            if part:
                node = node[part]
        return node, rel

    def method_response(self, method, params):
        section = method.split(".")[0]
        for m in self.load(f"{section}/methods.json")["methods"]:
            if m["name"] != method:
                continue
            resp = m["responses"]
            key = "response"
            if params.get("extended") in ("1", "true") and "extendedResponse" in resp:
                key = "extendedResponse"
            elif params.get("fields") and "fieldsResponse" in resp:
                key = "fieldsResponse"
            return self.resolve(resp[key]["$ref"], f"{section}/methods.json")
        raise KeyError(f"method {method} not in the schema")


def type_ok(value, t):
    if t == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if t == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if t == "boolean":
        return isinstance(value, bool)
    if t == "string":
        return isinstance(value, str)
    if t == "array":
        return isinstance(value, list)
    if t == "object":
        return isinstance(value, dict)
    if t == "null":
        return value is None
    return True


def validate(schema, node, cur, value, path, errors, depth=0):
    if depth > 60:
        return
    if "$ref" in node:
        target, rel = schema.resolve(node["$ref"], cur)
        validate(schema, target, rel, value, path, errors, depth + 1)
    t = node.get("type")
    if t is not None:
        types = t if isinstance(t, list) else [t]
        if not any(type_ok(value, x) for x in types):
            errors.append(f"{path}: expected {t}, got {type(value).__name__} {value!r:.60}")
            return
    if "enum" in node and value not in node["enum"]:
        errors.append(f"{path}: {value!r} not in {node['enum']}")
    for sub in node.get("allOf", []):
        validate(schema, sub, cur, value, path, errors, depth + 1)
    if "oneOf" in node:
        if not any(not check(schema, sub, cur, value, path, depth) for sub in node["oneOf"]):
            errors.append(f"{path}: matches none of oneOf")
    if isinstance(value, dict):
        props = node.get("properties", {})
        req = node.get("required") if isinstance(node.get("required"), list) else []
        for k, sub in props.items():
            if k in value:
                validate(schema, sub, cur, value[k], f"{path}.{k}", errors, depth + 1)
            elif sub.get("required") is True or k in req:
                errors.append(f"{path}: required '{k}' is missing")
    if isinstance(value, list) and "items" in node and isinstance(node["items"], dict):
        for i, item in enumerate(value):
            validate(schema, node["items"], cur, item, f"{path}[{i}]", errors, depth + 1)


def check(schema, node, cur, value, path, depth=0):
    errors = []
    validate(schema, node, cur, value, path, errors, depth)
    return errors


def check_error(err, path):
    errors = []
    if not isinstance(err, dict):
        return [f"{path}: not an object"]
    if not type_ok(err.get("error_code"), "integer"):
        errors.append(f"{path}.error_code: missing or not an integer")
    if not isinstance(err.get("error_msg"), str):
        errors.append(f"{path}.error_msg: missing or not a string")
    for i, kv in enumerate(err.get("request_params", [])):
        if not (isinstance(kv, dict) and isinstance(kv.get("key"), str)
                and isinstance(kv.get("value"), str)):
            errors.append(f"{path}.request_params[{i}]: not a {{key, value}} of strings")
    return errors


def check_answer(schema, method, params, answer):
    if "error" in answer:
        return check_error(answer["error"], "error")
    if method == "execute":
        errors = []
        results = answer.get("response")
        code = params.get("code", "")
        calls = re.findall(r"API\.([A-Za-z_]+\.[A-Za-z_]+)\(\s*(\{.*?\})?\s*\)", code, re.S)
        if not isinstance(results, list):
            results = [results]
        for i, (m, obj) in enumerate(calls):
            if i >= len(results):
                errors.append(f"response: {len(results)} results for {len(calls)} calls")
                break
            if results[i] is False:
                continue
            inner = {k: str(v) for k, v in json.loads(obj or "{}").items()}
            errors += check_answer(schema, m, inner, {"response": results[i]})
        for i, e in enumerate(answer.get("execute_errors", [])):
            if not (isinstance(e.get("method"), str) and type_ok(e.get("error_code"), "integer")
                    and isinstance(e.get("error_msg"), str)):
                errors.append(f"execute_errors[{i}]: malformed {e!r}")
        return errors
    node, rel = schema.method_response(method, params)
    return check(schema, node, rel, answer, "")


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    schema = Schema(sys.argv[1])
    method = sys.argv[2]
    params = dict(a.split("=", 1) for a in sys.argv[3:])
    try:
        answer = json.load(sys.stdin)
    except ValueError as e:
        print(f"{method}: not JSON: {e}", file=sys.stderr)
        return 1
    errors = check_answer(schema, method, params, answer)
    for e in errors[:20]:
        print(f"{method}: {e}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
