// `cairn show ID` (readable), `--raw` (original bytes), `--json`, `--part N`,
// and `cairn thread ID`.

#include "commands/commands.hpp"
#include "commands/common.hpp"
#include "output/message_json.hpp"
#include "output/message_summary.hpp"

#include <mime/body.hpp>
#include <mime/message.hpp>

#include <fmt/core.h>

#include <iostream>
#include <map>
#include <memory>
#include <set>

namespace cairn::cli {
namespace {

struct stdout_sink {
    void write(std::string_view bytes) {
        std::cout.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    }
};

std::string mailbox_list(const std::vector<mime::mailbox>& list) {
    std::string out;
    for (const auto& m : list) {
        out += out.empty() ? "" : ", ";
        out += m.name.empty() ? m.address : m.name + " <" + m.address + ">";
    }
    return out;
}

void print_readable(const mime::message& msg, const message_summary& s) {
    const auto line = [](std::string_view name, std::string_view value) {
        if (!value.empty()) {
            fmt::print("{}: {}\n", name, value);
        }
    };
    line("Date", s.date.value_or(""));
    line("From", mailbox_list(s.from));
    line("To", mailbox_list(s.to));
    line("Cc", mailbox_list(s.cc));
    line("Subject", s.subject.value_or(""));
    line("Message-ID", s.message_id.value_or(""));
    for (const auto& p : s.parts) {
        if (mime::is_attachment(msg, msg.at(p.id))) {
            fmt::print("Attachment: [{}] {} ({}, {} bytes)\n", p.id,
                       p.filename.value_or("(unnamed)"), p.content_type, p.size);
        }
    }
    fmt::print("\n{}", s.text);
    if (!s.text.empty() && s.text.back() != '\n') {
        fmt::print("\n");
    }
}

void write_sources(json_writer& json, const std::vector<index::envelope>& sources) {
    json.key("sources").begin_array();
    for (const auto& env : sources) {
        json.begin_object();
        json.key("path").value(env.path);
        json.key("folder").value(env.folder);
        json.key("flags").value(env.flags);
        if (!env.mail_from.empty() || !env.rcpt_to.empty()) {
            json.key("mail_from").value(env.mail_from);
            json.key("rcpt_to").begin_array();
            for (const auto& r : env.rcpt_to) {
                json.value(r);
            }
            json.end_array();
        }
        json.end_object();
    }
    json.end_array();
}

} // namespace

void add_show_command(CLI::App& app) {
    struct options {
        std::string archive;
        std::string message;
        bool raw = false;
        bool json = false;
        int part = -1;
    };

    auto opts = std::make_shared<options>();
    CLI::App* cmd = app.add_subcommand("show", "Show one message");
    add_archive_option(*cmd, opts->archive);
    cmd->add_option("MESSAGE", opts->message, "Catalog id, or id:MESSAGE-ID")->required();
    auto* raw = cmd->add_flag("--raw", opts->raw, "The original bytes, exactly as archived");
    auto* json =
        cmd->add_flag("--json", opts->json, "The `cairn parse --json` object plus catalog fields");
    cmd->add_option("--part", opts->part, "Write part N (as numbered by `cairn parse`), decoded")
        ->excludes(raw)
        ->excludes(json);
    raw->excludes(json);
    cmd->callback([opts] {
        auto archive = open_archive(opts->archive, false);
        const auto id = resolve_message(archive, opts->message);
        const std::string bytes = archive.raw(id);
        if (opts->raw) {
            std::cout.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
            return;
        }
        const auto msg = mime::parse(std::string_view(bytes));
        if (opts->part >= 0) {
            if (static_cast<std::size_t>(opts->part) >= msg.parts().size()) {
                throw failure(exit_no_match,
                              fmt::format("message {} has no part {}", id, opts->part));
            }
            stdout_sink out;
            (void)mime::decode_body(msg, msg.at(static_cast<mime::part_id>(opts->part)), out);
            return;
        }
        const auto summary = summarize(msg);
        if (!opts->json) {
            print_readable(msg, summary);
            return;
        }
        const auto row = archive.messages().get(id);
        json_writer out(std::cout);
        out.begin_object();
        write_message_fields(out, summary);
        out.key("catalog").begin_object();
        write_row_json(out, *row);
        write_sources(out, archive.messages().sources(id));
        out.end_object();
        out.end_object();
        std::cout << '\n';
    });
}

void add_thread_command(CLI::App& app) {
    struct options {
        std::string archive;
        std::string message;
    };

    auto opts = std::make_shared<options>();
    CLI::App* cmd = app.add_subcommand("thread", "Show the thread a message belongs to, as a tree");
    add_archive_option(*cmd, opts->archive);
    cmd->add_option("MESSAGE", opts->message, "Catalog id, or id:MESSAGE-ID")->required();
    cmd->callback([opts] {
        auto archive = open_archive(opts->archive, false);
        const auto id = resolve_message(archive, opts->message);
        auto& cat = archive.messages();
        const auto members = cat.thread_messages(cat.get(id)->thread);
        // JWZ's parent: the In-Reply-To message when present in the thread, else
        // the last of the References that is (RFC 5322 §3.6.4).
        std::map<std::string, index::message_key> by_id;
        for (const auto& m : members) {
            if (!m.message_id.empty()) {
                by_id.emplace(m.message_id, m.id);
            }
        }
        std::map<index::message_key, std::vector<const index::message_row*>> children;
        std::vector<const index::message_row*> roots;
        for (const auto& m : members) {
            index::message_key parent = 0;
            if (auto it = by_id.find(m.in_reply_to); it != by_id.end() && it->second != m.id) {
                parent = it->second;
            } else {
                const auto refs = cat.references(m.id);
                for (auto r = refs.rbegin(); r != refs.rend() && parent == 0; ++r) {
                    if (auto found = by_id.find(*r);
                        found != by_id.end() && found->second != m.id) {
                        parent = found->second;
                    }
                }
            }
            (parent != 0 ? children[parent] : roots).push_back(&m);
        }
        // Depth-first with an explicit stack; members are in date order already.
        // A reference cycle leaves messages unreachable from any root: they are
        // printed as roots of their own afterwards, each message exactly once.
        std::set<index::message_key> printed;
        const auto print_from = [&](const index::message_row* root) {
            std::vector<std::pair<const index::message_row*, int>> pending{{root, 0}};
            while (!pending.empty()) {
                const auto [m, depth] = pending.back();
                pending.pop_back();
                if (!printed.insert(m->id).second) {
                    continue;
                }
                const std::string& who = m->from.name.empty() ? m->from.address : m->from.name;
                fmt::print("{}{}{}  {} — {}  [{}]\n",
                           std::string(static_cast<std::size_t>(depth) * 2, ' '),
                           m->id == id ? "* " : "", short_date(m->date, m->date_offset_minutes),
                           who, m->subject, m->id);
                const auto& kids = children[m->id];
                for (auto it = kids.rbegin(); it != kids.rend(); ++it) {
                    pending.emplace_back(*it, depth + 1);
                }
            }
        };
        for (const auto* root : roots) {
            print_from(root);
        }
        for (const auto& m : members) {
            print_from(&m);
        }
    });
}

} // namespace cairn::cli
