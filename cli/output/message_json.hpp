#pragma once
// The `cairn parse --json` object (schema: docs/parse-json.md).

#include "output/json_writer.hpp"
#include "output/message_summary.hpp"

namespace cairn::cli {

/// Writes the summary as one JSON object (the caller may add fields after it
/// by writing into the same open object: see `cairn show --json`).
void write_message_fields(json_writer& json, const message_summary& summary);

} // namespace cairn::cli
