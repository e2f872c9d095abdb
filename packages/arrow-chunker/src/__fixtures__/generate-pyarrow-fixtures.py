"""Writes the pyarrow-*.arrows IPC stream fixtures next to this file (pyarrow 25.0.1).

Run: python3 generate-pyarrow-fixtures.py
They let the tests check that streams written by another Arrow implementation decode here.
"""
import datetime
import pathlib

import pyarrow as pa

HERE = pathlib.Path(__file__).parent


def write(name, schema, batches, **options):
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, schema, options=pa.ipc.IpcWriteOptions(**options)) as writer:
        for batch in batches:
            writer.write_batch(batch)
    (HERE / name).write_bytes(sink.getvalue().to_pybytes())


utc = datetime.timezone.utc
mixed_schema = pa.schema([
    ("id", pa.int64()),
    ("price", pa.float64()),
    ("name", pa.string()),
    ("big_text", pa.large_string()),
    ("flag", pa.bool_()),
    ("at", pa.timestamp("us", tz="UTC")),
    ("day", pa.date32()),
    ("tags", pa.list_(pa.int32())),
    ("address", pa.struct([("city", pa.string()), ("zip", pa.int32())])),
])
mixed_batches = [
    pa.record_batch([
        pa.array([-(2**63), 2**63 - 1, None], pa.int64()),
        pa.array([1.5, None, -0.25]),
        pa.array(["héllo", None, "🎉 漢字"]),
        pa.array(["x" * 50, "", None], pa.large_string()),
        pa.array([True, None, False]),
        pa.array([datetime.datetime(2024, 2, 29, 12, 0, 0, 123000, tzinfo=utc), None,
                  datetime.datetime(1969, 12, 31, 23, 59, 59, tzinfo=utc)], pa.timestamp("us", tz="UTC")),
        pa.array([datetime.date(2024, 1, 2), None, datetime.date(1900, 1, 1)]),
        pa.array([[1, 2], None, []], pa.list_(pa.int32())),
        pa.array([{"city": "Paris", "zip": 75001}, None, {"city": None, "zip": 1}],
                 pa.struct([("city", pa.string()), ("zip", pa.int32())])),
    ], schema=mixed_schema),
    pa.record_batch([
        pa.array([7], pa.int64()), pa.array([2.0]), pa.array(["second"]), pa.array(["b"], pa.large_string()),
        pa.array([True]), pa.array([0], pa.timestamp("us", tz="UTC")), pa.array([0], pa.date32()),
        pa.array([[3]], pa.list_(pa.int32())), pa.array([{"city": "Oslo", "zip": 150}],
                                                         pa.struct([("city", pa.string()), ("zip", pa.int32())])),
    ], schema=mixed_schema),
]
write("pyarrow-mixed.arrows", mixed_schema, mixed_batches)

dict_type = pa.dictionary(pa.int32(), pa.string())
dict_schema = pa.schema([("color", dict_type)])


def dict_batch(indices, dictionary):
    return pa.record_batch([pa.DictionaryArray.from_arrays(pa.array(indices, pa.int32()), pa.array(dictionary))],
                           schema=dict_schema)


# Different dictionaries per batch: pyarrow writes a replacement dictionary batch before the second.
write("pyarrow-dictionary-replacement.arrows", dict_schema,
      [dict_batch([0, 1, 0], ["red", "green"]), dict_batch([1, None, 0], ["blue", "gelb"])])
# The second dictionary extends the first: with deltas on, pyarrow writes a delta dictionary batch.
write("pyarrow-dictionary-delta.arrows", dict_schema,
      [dict_batch([0, 1], ["red", "green"]), dict_batch([2, 0], ["red", "green", "blue"])],
      emit_dictionary_deltas=True)
write("pyarrow-schema-only.arrows", mixed_schema, [])
write("pyarrow-zero-rows.arrows", dict_schema, [dict_batch([], ["unused"])])
