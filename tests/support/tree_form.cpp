#include "support/tree_form.hpp"

#include <mime/defect.hpp>

#include <algorithm>

namespace cairn::test {

std::string tree_form(const mime::message& msg) {
    std::string out;
    for (const mime::part& p : msg.parts()) {
        out.append(p.depth * 2, ' ');
        std::string type = std::string(p.type.type) + "/" + std::string(p.type.subtype);
        std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) {
            return static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
        });
        out += type;
        if (p.kind == mime::part_kind::leaf) {
            std::string body;
            for (char c : msg.body(p)) {
                body += c == '\r'   ? std::string("\\r")
                        : c == '\n' ? std::string("\\n")
                                    : std::string(1, c);
            }
            if (body.size() > 60) {
                body = body.substr(0, 57) + "...";
            }
            out += " \"" + body + "\"";
        }
        for (const auto& d : msg.defects(p)) {
            out += " !" + std::string(mime::to_string(d.kind));
        }
        out += "\n";
    }
    return out;
}

} // namespace cairn::test
