#!/usr/bin/env python3
"""Validates a SARIF 2.1.0 log (stdin or a file) against the SARIF object model of the
`sarif-om` package, which is generated from the official OASIS 2.1.0 schema: every
property must be one the schema defines for that object, every required property must be
present, and enumerations and numeric bounds the schema states are checked. Also checks
what GitHub code scanning requires of a result. Exits 1 with one line per problem."""
import json, sys
import attr
import sarif_om as om

# Where each property leads: (class, is_array). Properties not listed are leaves.
NESTED = {
    "SarifLog.runs": (om.Run, True),
    "Run.tool": (om.Tool, False),
    "Run.results": (om.Result, True),
    "Tool.driver": (om.ToolComponent, False),
    "ToolComponent.rules": (om.ReportingDescriptor, True),
    "ReportingDescriptor.shortDescription": (om.MultiformatMessageString, False),
    "ReportingDescriptor.fullDescription": (om.MultiformatMessageString, False),
    "ReportingDescriptor.help": (om.MultiformatMessageString, False),
    "ReportingDescriptor.defaultConfiguration": (om.ReportingConfiguration, False),
    "Result.message": (om.Message, False),
    "Result.locations": (om.Location, True),
    "Result.relatedLocations": (om.Location, True),
    "Location.physicalLocation": (om.PhysicalLocation, False),
    "Location.message": (om.Message, False),
    "PhysicalLocation.artifactLocation": (om.ArtifactLocation, False),
    "PhysicalLocation.region": (om.Region, False),
}
ENUMS = {
    "Result.level": {"none", "note", "warning", "error"},
    "ReportingConfiguration.level": {"none", "note", "warning", "error"},
    "Run.columnKind": {"utf16CodeUnits", "unicodeCodePoints"},
    "Result.kind": {"notApplicable", "pass", "fail", "review", "open", "informational"},
}
MINIMUM = {"Region.startLine": 1, "Region.startColumn": 1, "Region.endLine": 1, "Region.endColumn": 1, "Result.ruleIndex": -1, "Location.id": -1}

problems = []

def check(obj, cls, path):
    name = cls.__name__
    if not isinstance(obj, dict):
        problems.append(f"{path}: expected an object ({name})")
        return
    fields = {f.metadata["schema_property_name"]: f for f in attr.fields(cls)}
    if name == "SarifLog":
        fields["$schema"] = None
    for key, value in obj.items():
        if key not in fields:
            problems.append(f"{path}.{key}: not a property of {name}")
            continue
        where = f"{name}.{key}"
        if where in ENUMS and value not in ENUMS[where]:
            problems.append(f"{path}.{key}: {value!r} is not one of {sorted(ENUMS[where])}")
        if where in MINIMUM and (not isinstance(value, int) or value < MINIMUM[where]):
            problems.append(f"{path}.{key}: {value!r} must be an integer >= {MINIMUM[where]}")
        if where in NESTED:
            sub, is_array = NESTED[where]
            if is_array:
                if not isinstance(value, list):
                    problems.append(f"{path}.{key}: expected an array")
                    continue
                for i, item in enumerate(value):
                    check(item, sub, f"{path}.{key}[{i}]")
            else:
                check(value, sub, f"{path}.{key}")
    for key, f in fields.items():
        if f is not None and f.default is attr.NOTHING and key not in obj:
            problems.append(f"{path}: missing required property '{key}' of {name}")
    for key in ("text",):
        if name in ("Message", "MultiformatMessageString") and not isinstance(obj.get(key), str):
            problems.append(f"{path}.text: must be a string")

data = json.load(open(sys.argv[1]) if len(sys.argv) > 1 else sys.stdin)
check(data, om.SarifLog, "$")
if data.get("version") != "2.1.0":
    problems.append("$.version: must be 2.1.0")
for r, run in enumerate(data.get("runs", [])):
    rules = run.get("tool", {}).get("driver", {}).get("rules", [])
    ids = [x.get("id") for x in rules]
    for i, res in enumerate(run.get("results", [])):
        p = f"$.runs[{r}].results[{i}]"
        if res.get("ruleId") not in ids:
            problems.append(f"{p}.ruleId: {res.get('ruleId')!r} is not in tool.driver.rules")
        elif "ruleIndex" in res and ids[res["ruleIndex"]] != res["ruleId"]:
            problems.append(f"{p}.ruleIndex: does not point at rule {res['ruleId']!r}")
        if not res.get("locations"):
            problems.append(f"{p}: GitHub code scanning needs at least one location")
        for loc in res.get("locations", []):
            uri = loc.get("physicalLocation", {}).get("artifactLocation", {}).get("uri", "")
            if not uri or uri.startswith("/") or "://" in uri:
                problems.append(f"{p}: location uri {uri!r} must be relative to the repository")
for line in problems:
    print(line)
sys.exit(1 if problems else 0)
