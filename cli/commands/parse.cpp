// `cairn parse FILE [--json]`: show how libmime reads a message.

#include "commands/commands.hpp"
#include "output/message_json.hpp"
#include "output/tree_printer.hpp"
#include "util/mapped_file.hpp"

#include <mime/message.hpp>

#include <iostream>
#include <memory>

namespace cairn::cli {

void add_parse_command(CLI::App& app) {
    struct options {
        std::string file;
        bool json = false;
    };

    auto opts = std::make_shared<options>();
    CLI::App* cmd = app.add_subcommand("parse", "Parse one message and print its MIME structure");
    cmd->add_option("FILE", opts->file, "Message file (.eml), or - for standard input")->required();
    cmd->add_flag("--json", opts->json, "Print one JSON object (schema: docs/parse-json.md)");
    cmd->callback([opts] {
        const mapped_file input(opts->file);
        const mime::message msg = mime::parse(input.bytes());
        const message_summary summary = summarize(msg);
        if (opts->json) {
            json_writer json(std::cout);
            json.begin_object();
            write_message_fields(json, summary);
            json.end_object();
            std::cout << '\n';
        } else {
            print_tree(std::cout, msg, summary);
        }
    });
}

} // namespace cairn::cli
