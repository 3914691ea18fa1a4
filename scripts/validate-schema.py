#!/usr/bin/env python3
"""Validates Strata plan files against the generated JSON Schemas (draft 2020-12).

    scripts/validate-schema.py [--schemas DIR] [--json] FILE...

Each YAML document of a plan file is checked against plan.schema.json and against the
schema of its kind (okrs.schema.json, …); strata.yaml against strata.schema.json; the
front matter of a Markdown file against front-matter.schema.json and
<kind>-front-matter.schema.json. Every schema is first checked against the draft 2020-12
meta-schema.

YAML is read the way editors read it (yaml-language-server defaults to YAML 1.2): only
true/false are booleans, `yes`/`no`/`on`/`off` stay strings, dates stay strings, `010`
is ten. PyYAML implements YAML 1.1, so a SafeLoader subclass swaps its implicit resolvers
for the YAML 1.2 core schema's.

Exit status: 0 every file is valid, 1 some file is not, 2 usage errors, unreadable files
or missing Python packages (jsonschema, PyYAML: `scripts/setup --test` installs them).
With --json prints one JSON object: {"files": [{"file", "document", "schema", "errors":
[{"path", "validator", "message"}]}]}.
"""

import argparse
import json
import os
import re
import sys

try:
    import yaml
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import best_match
except ImportError as error:  # pragma: no cover - reported to the caller
    sys.stderr.write(f"validate-schema: missing Python package ({error}); run scripts/setup --test\n")
    sys.exit(2)


class YAML12Loader(yaml.SafeLoader):
    """SafeLoader with the YAML 1.2 core schema's implicit types instead of YAML 1.1's."""


YAML12Loader.yaml_implicit_resolvers = {}


def _resolver(tag, pattern, first):
    YAML12Loader.add_implicit_resolver(tag, re.compile(pattern, re.X), list(first))


_resolver("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""])
_resolver("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF")
_resolver("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789")
_resolver("tag:yaml.org,2002:float",
          r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
          "-+.0123456789")


def _construct_int(loader, node):
    text = loader.construct_scalar(node)
    if text.startswith("0o"):
        return int(text[2:], 8)
    if text.startswith("0x"):
        return int(text[2:], 16)
    return int(text, 10)


def _construct_float(loader, node):
    text = loader.construct_scalar(node).lower()
    if text.endswith(".inf"):
        return float("-inf") if text.startswith("-") else float("inf")
    if text == ".nan":
        return float("nan")
    return float(text)


YAML12Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
YAML12Loader.add_constructor("tag:yaml.org,2002:float", _construct_float)


def front_matter(text):
    """The YAML between the two `---` lines at the top of a Markdown file, or None."""
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.splitlines()
    if not lines or lines[0].rstrip() != "---":
        return None
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            return "\n".join(lines[1:i]) + "\n"
    return None


class Schemas:
    def __init__(self, folder):
        self.folder = folder
        self.validators = {}

    def get(self, name):
        if name not in self.validators:
            path = os.path.join(self.folder, name + ".schema.json")
            if not os.path.exists(path):
                self.validators[name] = None
            else:
                with open(path, encoding="utf-8") as f:
                    schema = json.load(f)
                Draft202012Validator.check_schema(schema)
                self.validators[name] = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
        return self.validators[name]


def pointer(path):
    return "/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in path)


def walk(errors):
    for e in errors:
        yield e
        yield from walk(e.context or [])


def explain(error):
    """The message, with the most relevant reason when a choice of schemas (anyOf, oneOf)
    failed, using the schema's patternErrorMessage (as editors do) for patterns."""
    message = error.message
    if error.context:
        leaves = [e for e in walk(error.context) if not e.context]
        hints = [e.schema["patternErrorMessage"] for e in leaves
                 if e.validator == "pattern" and isinstance(e.schema, dict) and "patternErrorMessage" in e.schema]
        if hints:
            message += f" ({hints[0]})"
        else:
            leaf = best_match(error.context)
            if leaf.validator != "type":
                message += f" ({leaf.message})"
    elif error.validator == "pattern" and isinstance(error.schema, dict) and "patternErrorMessage" in error.schema:
        message = f"{error.instance!r}: {error.schema['patternErrorMessage']}"
    return message


def check(schemas, name, document, file, index, results):
    validator = schemas.get(name)
    if validator is None:
        results.append({"file": file, "document": index, "schema": name,
                        "errors": [{"path": "", "validator": "schema", "message": f"no schema {name}.schema.json"}]})
        return
    errors = []
    for error in sorted(validator.iter_errors(document), key=lambda e: (list(map(str, e.absolute_path)), e.validator)):
        errors.append({"path": pointer(error.absolute_path), "validator": error.validator, "message": explain(error)})
    results.append({"file": file, "document": index, "schema": name, "errors": errors})


def validate_file(schemas, file, results):
    with open(file, encoding="utf-8") as f:
        text = f.read()
    base = os.path.basename(file)
    if file.endswith((".md", ".markdown")):
        fm = front_matter(text)
        if fm is None:
            results.append({"file": file, "document": 0, "schema": "front-matter",
                            "errors": [{"path": "", "validator": "front-matter", "message": "no YAML front matter"}]})
            return
        documents = [yaml.load(fm, Loader=YAML12Loader)]
        combined, per_kind = "front-matter", "{}-front-matter"
    else:
        documents = [d for d in yaml.load_all(text, Loader=YAML12Loader) if d is not None]
        if base in ("strata.yaml", "strata.yml"):
            for i, d in enumerate(documents):
                check(schemas, "strata", d, file, i, results)
            return
        combined, per_kind = "plan", "{}"
    for i, d in enumerate(documents):
        check(schemas, combined, d, file, i, results)
        kind = d.get("kind") if isinstance(d, dict) else None
        if isinstance(kind, str) and re.fullmatch(r"[a-z-]+", kind) and schemas.get(per_kind.format(kind)) is not None:
            check(schemas, per_kind.format(kind), d, file, i, results)


def main():
    parser = argparse.ArgumentParser(description="Validate Strata plan files against the generated JSON Schemas.")
    parser.add_argument("--schemas", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "schemas"),
                        help="folder of *.schema.json files (default: schemas/ beside scripts/)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    schemas = Schemas(args.schemas)
    results = []
    try:
        for file in args.files:
            validate_file(schemas, file, results)
    except (OSError, yaml.YAMLError, json.JSONDecodeError) as error:
        sys.stderr.write(f"validate-schema: {error}\n")
        return 2
    invalid = [r for r in results if r["errors"]]
    if args.json:
        print(json.dumps({"files": results}, indent=2, ensure_ascii=False))
    else:
        for r in invalid:
            for e in r["errors"]:
                print(f"{r['file']}: document {r['document']}: {r['schema']}.schema.json: {e['path'] or '/'}: {e['message']} [{e['validator']}]")
        print(f"validate-schema: {len(args.files)} files, {len(results)} checks, {len(invalid)} invalid", file=sys.stderr)
    return 1 if invalid else 0


if __name__ == "__main__":
    sys.exit(main())
