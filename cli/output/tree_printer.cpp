#include "output/tree_printer.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <algorithm>

namespace cairn::cli {
namespace {

std::string human_size(std::uint64_t bytes) {
    if (bytes < 1024) {
        return fmt::format("{} B", bytes);
    }
    if (bytes < 1024 * 1024) {
        return fmt::format("{:.1f} KiB", static_cast<double>(bytes) / 1024);
    }
    return fmt::format("{:.1f} MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
}

std::string mailboxes(const std::vector<mime::mailbox>& list) {
    std::string out;
    for (const auto& m : list) {
        if (!out.empty()) {
            out += ", ";
        }
        out += m.name.empty() ? m.address : fmt::format("{} <{}>", m.name, m.address);
    }
    return out;
}

void field(std::ostream& out, std::string_view name, std::string_view value) {
    if (!value.empty()) {
        fmt::print(out, "{:<11} {}\n", std::string(name) + ":", value);
    }
}

} // namespace

void print_tree(std::ostream& out, const mime::message& msg, const message_summary& s) {
    field(out, "Subject", s.subject.value_or(""));
    field(out, "From", mailboxes(s.from));
    field(out, "To", mailboxes(s.to));
    field(out, "Cc", mailboxes(s.cc));
    field(out, "Date", s.date.value_or(""));
    field(out, "Message-ID", s.message_id.value_or(""));
    fmt::print(out, "\n");
    for (const mime::part& p : msg.parts()) {
        std::string line(p.depth * 2, ' ');
        line += fmt::format("{}/{}", p.type.type, p.type.subtype);
        std::transform(line.begin(), line.end(), line.begin(), [](unsigned char c) {
            return static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
        });
        const auto leaf = std::find_if(s.parts.begin(), s.parts.end(),
                                       [&](const part_summary& ps) { return ps.id == p.id; });
        if (leaf != s.parts.end()) {
            if (leaf->charset) {
                line += fmt::format("; charset={}", *leaf->charset);
            }
            if (leaf->encoding) {
                line += fmt::format(" [{}]", *leaf->encoding);
            }
            if (leaf->disposition) {
                line += fmt::format(" {}", *leaf->disposition);
            }
            if (leaf->filename) {
                line += fmt::format(" \"{}\"", *leaf->filename);
            }
            line += fmt::format("  {}", human_size(leaf->size));
            for (const auto& d : leaf->defects) {
                line += fmt::format("  !{}", d);
            }
        }
        fmt::print(out, "{}\n", line);
    }
    if (!s.defects.empty()) {
        fmt::print(out, "\ndefects:");
        for (const auto& d : s.defects) {
            fmt::print(out, " {}", d);
        }
        fmt::print(out, "\n");
    }
}

} // namespace cairn::cli
