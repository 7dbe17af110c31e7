#pragma once
// Maildir facts: what makes a folder a maildir, the flags in an entry's file
// name, and the folder name a Maildir++ subfolder stands for.
// (https://cr.yp.to/proto/maildir.html, Courier's Maildir++ description.)

#include <filesystem>
#include <string>
#include <string_view>

namespace cairn::index::sources_detail {

/// A folder with cur/ and new/ subfolders (tmp/ is optional: backups and
/// copies often lose the empty tmp/). Symbolic links to folders do not count.
[[nodiscard]] bool is_maildir(const std::filesystem::path& dir);

/// The standard flags of a cur/ entry's name: the uppercase letters after the
/// last ":2," (";2," accepted too, as written by tools on file systems that
/// forbid ':'), sorted and without repeats: "1700000000.M1P2.host:2,SRF" → "FRS".
/// Lowercase letters are Dovecot keywords, not flags, and are left out. "" when
/// the name has no ":2," info.
[[nodiscard]] std::string maildir_flags(std::string_view file_name);

/// The folder a Maildir++ subfolder name stands for: ".Sent" → "Sent",
/// ".Lists.cairn" → "Lists/cairn" (Maildir++ nests with '.').
[[nodiscard]] std::string maildirpp_folder(std::string_view dir_name);

} // namespace cairn::index::sources_detail
