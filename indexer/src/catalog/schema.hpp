#pragma once

// Creating and migrating the catalog schema (documented in schema.cpp).

namespace cairn::index::catalog_detail {

class connection;

/// The schema version this build writes (PRAGMA user_version).
[[nodiscard]] int schema_version() noexcept;

/// Brings the database to schema_version(), one version per transaction.
/// Throws io_error when the file is newer than this build knows.
void migrate(connection& db);

} // namespace cairn::index::catalog_detail
