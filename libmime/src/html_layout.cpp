// Which tags break the text and how (block, paragraph, cell, list item, raw
// text, head/body); everything not listed is inline.
#include "html_layout.hpp"

#include <algorithm>
#include <iterator>
#include <string_view>

namespace cairn::mime::html {

// Sorted by name. Tags not listed (a, span, font, o:p, img …) only separate
// nothing: they are inline.
constexpr tag_rule tag_rules[] = {
    {"address", tag_kind::block},  {"article", tag_kind::block},
    {"aside", tag_kind::block},    {"blockquote", tag_kind::paragraph},
    {"body", tag_kind::body},      {"br", tag_kind::br},
    {"caption", tag_kind::block},  {"center", tag_kind::block},
    {"dd", tag_kind::block},       {"details", tag_kind::block},
    {"dialog", tag_kind::block},   {"div", tag_kind::block},
    {"dl", tag_kind::block},       {"dt", tag_kind::block},
    {"fieldset", tag_kind::block}, {"figcaption", tag_kind::block},
    {"figure", tag_kind::block},   {"footer", tag_kind::block},
    {"form", tag_kind::block},     {"h1", tag_kind::paragraph},
    {"h2", tag_kind::paragraph},   {"h3", tag_kind::paragraph},
    {"h4", tag_kind::paragraph},   {"h5", tag_kind::paragraph},
    {"h6", tag_kind::paragraph},   {"head", tag_kind::head},
    {"header", tag_kind::block},   {"hr", tag_kind::block},
    {"iframe", tag_kind::raw},     {"legend", tag_kind::block},
    {"li", tag_kind::li},          {"listing", tag_kind::pre},
    {"main", tag_kind::block},     {"nav", tag_kind::block},
    {"noembed", tag_kind::raw},    {"noframes", tag_kind::raw},
    {"ol", tag_kind::block},       {"p", tag_kind::paragraph},
    {"pre", tag_kind::pre},        {"script", tag_kind::raw},
    {"section", tag_kind::block},  {"style", tag_kind::raw},
    {"summary", tag_kind::block},  {"table", tag_kind::block},
    {"td", tag_kind::cell},        {"template", tag_kind::raw},
    {"th", tag_kind::cell},        {"title", tag_kind::raw},
    {"tr", tag_kind::block},       {"ul", tag_kind::block},
    {"xml", tag_kind::raw},
};

static_assert(std::is_sorted(std::begin(tag_rules), std::end(tag_rules),
                             [](const tag_rule& a, const tag_rule& b) { return a.name < b.name; }));

const tag_rule* find_tag(std::string_view lower_name) {
    const auto* it =
        std::lower_bound(std::begin(tag_rules), std::end(tag_rules), lower_name,
                         [](const tag_rule& r, std::string_view n) { return r.name < n; });
    return (it != std::end(tag_rules) && it->name == lower_name) ? it : nullptr;
}

} // namespace cairn::mime::html
