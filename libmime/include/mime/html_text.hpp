#pragma once
// HTML → plain text, for indexing and for showing an HTML-only message.
//
// A forgiving tokenizer, not a DOM: never fails on broken markup. Drops
// <script>, <style>, <head>, comments and <!...> declarations; turns block
// elements (p, div, br, li, tr, h1–h6, blockquote, table rows …) into line
// breaks and cells into tabs; decodes character references (named, decimal,
// hex; an unknown or malformed one is kept as written); collapses runs of
// whitespace as a browser would, except inside <pre>.

#include <string>
#include <string_view>

namespace cairn::mime {

/// Appends the text of `html` (UTF-8) to `out`. Lines are separated by '\n';
/// no more than one blank line in a row; no leading or trailing blank lines.
void html_to_text(std::string_view html, std::string& out);

[[nodiscard]] std::string html_to_text(std::string_view html);

} // namespace cairn::mime
