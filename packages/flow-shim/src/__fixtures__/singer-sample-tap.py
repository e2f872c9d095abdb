#!/usr/bin/env python3
# A small Singer tap written in Python (standard library only) for the flow-shim command's tests:
#   --about --format=json                  prints the tap's name and config schema (`settings`)
#   --config c --discover                  prints the catalog
#   --config c --catalog k [--state s]     syncs the selected streams
# Streams: `customers` (INCREMENTAL on `updated_at`, key `id`) and `audit_log` (FULL_TABLE, no key).
# Config: {"customers": n, "auditLog": n, "crashAfter": n, "idType": "integer"}: crashAfter makes the
# tap exit 3 after that many customer records, with records after its last STATE already printed;
# idType is the declared type of `customers.id` ("number" makes a key Flow cannot use).
import json
import sys

args = sys.argv[1:]


def option(name):
    if name not in args:
        return None
    with open(args[args.index(name) + 1], encoding="utf-8") as handle:
        return json.load(handle)


def emit(message):
    sys.stdout.write(json.dumps(message) + "\n")


settings = {
    "type": "object",
    "properties": {
        "customers": {"type": "integer", "description": "How many customers to sync"},
        "auditLog": {"type": "integer"},
    },
}

if "--about" in args:
    emit({"name": "tap-python-sample", "capabilities": ["catalog", "discover", "state"], "settings": settings})
    sys.exit(0)

config = option("--config") or {}

catalog = {
    "streams": [
        {
            "tap_stream_id": "customers",
            "stream": "customers",
            "key_properties": ["id"],
            "replication_key": "updated_at",
            "replication_method": "INCREMENTAL",
            "schema": {
                "type": "object",
                "properties": {
                    "id": {"type": config.get("idType", "integer")},
                    "updated_at": {"type": "integer"},
                    "name": {"type": ["string", "null"]},
                },
            },
            "metadata": [
                {"breadcrumb": [], "metadata": {"inclusion": "available", "table-key-properties": ["id"]}},
                {"breadcrumb": ["properties", "id"], "metadata": {"inclusion": "automatic"}},
            ],
        },
        {
            "tap_stream_id": "audit_log",
            "stream": "audit_log",
            "schema": {"type": "object", "properties": {"line": {"type": "string"}}},
            "metadata": [
                {"breadcrumb": [], "metadata": {"inclusion": "available", "forced-replication-method": "FULL_TABLE"}},
            ],
        },
    ]
}

if "--discover" in args:
    # Taps pretty-print their catalogs; the shim reads the whole output.
    sys.stdout.write(json.dumps(catalog, indent=2) + "\n")
    sys.exit(0)


def selected(entry):
    for item in entry.get("metadata", []):
        if item.get("breadcrumb") == []:
            return item.get("metadata", {}).get("selected", False)
    return False


state = option("--state") or {"bookmarks": {}}
state.setdefault("bookmarks", {})
emitted = 0
for entry in (option("--catalog") or {"streams": []})["streams"]:
    if not selected(entry):
        continue
    stream = entry["tap_stream_id"]
    emit({"type": "SCHEMA", "stream": stream, "schema": entry["schema"], "key_properties": entry.get("key_properties", [])})
    if stream == "customers":
        updated_at = state["bookmarks"].get("customers", {}).get("updated_at", 0)
        total = config.get("customers", 5)
        while updated_at < total:
            if config.get("crashAfter") == emitted:
                sys.stdout.flush()
                sys.stderr.write("python sample tap: upstream API closed the connection\n")
                sys.exit(3)
            updated_at += 1
            emitted += 1
            emit({"type": "RECORD", "stream": "customers", "record": {"id": updated_at, "updated_at": updated_at, "name": f"customer {updated_at}"}})
            if updated_at % 3 == 0 or updated_at == total:
                state["bookmarks"]["customers"] = {"updated_at": updated_at}
                emit({"type": "STATE", "value": state})
    elif stream == "audit_log":
        for index in range(config.get("auditLog", 2)):
            emit({"type": "RECORD", "stream": "audit_log", "record": {"line": f"entry {index}"}})
        state["bookmarks"]["audit_log"] = {"version": 1}
        emit({"type": "STATE", "value": state})
