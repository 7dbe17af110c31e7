#pragma once
// The readable form of `cairn parse`: envelope fields, then the part tree with
// one line per part (type, charset, encoding, disposition, name, decoded size).

#include "output/message_summary.hpp"

#include <mime/message.hpp>

#include <ostream>

namespace cairn::cli {

void print_tree(std::ostream& out, const mime::message& msg, const message_summary& summary);

} // namespace cairn::cli
