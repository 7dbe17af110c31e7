// Conformance against MimeKit's own expectations: for each mbox in MimeKit's test
// data that ships a `*-offsets.json` (the parse MimeKit expects, with LF and with
// CRLF line ends), every message's part tree must match: media type, where the
// headers begin, where the body begins and where it ends. Runs when
// ../shared/corpora is present.
#include "support/test_data.hpp"

#include <mime/message.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct entity {
    std::string type;
    std::uint64_t begin, body_begin, end;
    friend bool operator==(const entity&, const entity&) = default;
};

std::ostream& operator<<(std::ostream& os, const entity& e) {
    return os << e.type << " [" << e.begin << ", " << e.body_begin << ", " << e.end << ")";
}

// MimeKit's tree in depth-first order; a message/rfc822 node is followed by its
// message's body entity (our model has the encapsulated message's root as child).
std::vector<entity> expected_entities(const json& body) {
    std::vector<entity> out;
    std::vector<const json*> pending{&body};
    while (!pending.empty()) {
        const json& node = *pending.back();
        pending.pop_back();
        auto type = node.at("mimeType").get<std::string>(); // MimeKit keeps the case written
        std::transform(type.begin(), type.end(), type.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        out.push_back(
            {type, node.at("beginOffset"), node.at("headersEndOffset"), node.at("endOffset")});
        if (node.contains("message")) {
            pending.push_back(&node.at("message").at("body"));
        }
        if (node.contains("children")) {
            const auto& children = node.at("children");
            for (auto it = children.rbegin(); it != children.rend(); ++it) {
                pending.push_back(&*it);
            }
        }
    }
    return out;
}

std::vector<entity> actual_entities(const cairn::mime::message& msg, std::uint64_t base) {
    std::vector<entity> out;
    for (const auto& p : msg.parts()) {
        std::string type = std::string(p.type.type) + "/" + std::string(p.type.subtype);
        std::transform(type.begin(), type.end(), type.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        out.push_back({type, base + p.header.begin, base + p.body.begin, base + p.body.end});
    }
    return out;
}

// Where cairn reads a message differently from MimeKit on purpose. The entity is
// compared by type and start only; the reason is the test's documentation.
struct deviation {
    std::string_view mbox;
    std::uint64_t message_offset;
    std::size_t entity;
    std::string_view reason;
};

constexpr deviation deviations[] = {
    {"issue1189", 588, 4,
     "base64 lines follow the attachment's fields with no blank line: MimeKit reads them as "
     "more header and loses the attachment; cairn, like Python's email, starts the body at the "
     "first line that is not a field"},
    {"issue1189", 610, 4, "the same message with CRLF line ends"},
};

const deviation* find_deviation(std::string_view mbox, std::uint64_t offset) {
    for (const auto& d : deviations) {
        if (d.mbox == mbox && d.message_offset == offset) {
            return &d;
        }
    }
    return nullptr;
}

struct offsets_case {
    fs::path offsets;
    fs::path mbox;
    bool crlf;
};

std::vector<offsets_case> cases() {
    std::vector<offsets_case> all;
    const auto shared = cairn::test::shared_corpora_dir();
    if (shared.empty()) {
        return all;
    }
    for (const auto& f : cairn::test::files_under(shared / "conformance" / "mimekit" / "mbox")) {
        const std::string name = f.filename().string();
        for (const auto* suffix : {".unix-offsets.json", ".dos-offsets.json"}) {
            if (name.ends_with(suffix)) {
                const auto stem = name.substr(0, name.size() - std::strlen(suffix));
                all.push_back({f, f.parent_path() / (stem + ".mbox.txt"),
                               std::string_view(suffix) == ".dos-offsets.json"});
            }
        }
    }
    return all;
}

class mimekit_offsets : public testing::TestWithParam<offsets_case> {};

TEST_P(mimekit_offsets, every_part_matches) {
    const auto& c = GetParam();
    std::string mbox = cairn::test::read_file(c.mbox);
    if (c.crlf) {
        mbox = cairn::test::to_crlf(mbox);
    }
    const json expected = json::parse(cairn::test::read_file(c.offsets));
    ASSERT_FALSE(expected.empty());
    std::size_t messages = 0;
    for (const auto& m : expected) {
        const std::uint64_t begin = m.at("beginOffset");
        const std::uint64_t end = m.at("endOffset");
        ASSERT_LE(end, mbox.size());
        const std::string_view raw(mbox.data() + begin, end - begin);
        const auto msg = cairn::mime::parse(raw);
        auto actual = actual_entities(msg, begin);
        auto wanted = expected_entities(m.at("body"));
        const std::string stem = c.mbox.stem().stem().string();
        if (const deviation* d = find_deviation(stem, begin)) {
            ASSERT_LT(d->entity, std::min(actual.size(), wanted.size())) << d->reason;
            EXPECT_EQ(actual[d->entity].type, wanted[d->entity].type) << d->reason;
            EXPECT_EQ(actual[d->entity].begin, wanted[d->entity].begin) << d->reason;
            EXPECT_LT(actual[d->entity].body_begin, wanted[d->entity].body_begin) << d->reason;
            actual.erase(actual.begin() + static_cast<std::ptrdiff_t>(d->entity));
            wanted.erase(wanted.begin() + static_cast<std::ptrdiff_t>(d->entity));
        }
        EXPECT_EQ(actual, wanted) << "message at offset " << begin;
        ++messages;
    }
    EXPECT_EQ(messages, expected.size());
}

INSTANTIATE_TEST_SUITE_P(
    conformance, mimekit_offsets, testing::ValuesIn(cases()), [](const auto& test) {
        std::string name = test.param.offsets.filename().string();
        std::replace_if(
            name.begin(), name.end(),
            [](char ch) { return !std::isalnum(static_cast<unsigned char>(ch)); }, '_');
        return name;
    });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(mimekit_offsets);

} // namespace
