#pragma once
// A canonical text form of a parsed message's part tree, for table tests:
// one line per part: indentation by depth, type/subtype, kind, the raw body of
// leaves (escaped, shortened) and the part's scanner defects.

#include <mime/message.hpp>

#include <string>

namespace cairn::test {

[[nodiscard]] std::string tree_form(const mime::message& msg);

} // namespace cairn::test
