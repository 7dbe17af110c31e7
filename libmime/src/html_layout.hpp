#pragma once
// The layout half of HTML → plain text, private to libmime: what each tag
// does to the text (block, paragraph, line break, cell, list item …) and the
// writer that applies the output rules.

#include "html_chars.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace cairn::mime::html {

/// Applies the output rules: collapsed separators, no trailing blanks on a line,
/// at most one blank line in a row, nothing blank at either end.
class text_writer {
public:
    explicit text_writer(std::string& out)
        : out_(out)
        , base_(out.size()) {}

    void text(std::string_view s) {
        if (at_line_start()) {
            if (bullet_)
                out_.append("- ");
            bullet_ = false;
        } else if (pending_ != 0) {
            out_.push_back(pending_);
        }
        pending_ = 0;
        out_.append(s);
    }

    /// A separator to write before the next text on this line; a tab (between
    /// cells) wins over a space.
    void separator(char sep) {
        if (!at_line_start() && (pending_ == 0 || sep == '\t'))
            pending_ = sep;
    }

    /// "- " before the next text, once it is written (an empty <li> leaves nothing).
    void bullet() { bullet_ = true; }

    /// Ends the current line unless it is empty (block elements).
    void line_break() {
        if (!at_line_start())
            newline();
        pending_ = 0;
    }

    /// Leaves one blank line (p, h1–h6, blockquote, pre).
    void paragraph_break() {
        line_break();
        newline();
    }

    /// Ends the current line even when it is empty (<br>, a newline in <pre>).
    void newline() {
        pending_ = 0;
        while (out_.size() > base_ && (out_.back() == ' ' || out_.back() == '\t'))
            out_.pop_back();
        if (out_.size() == base_)
            return;
        if (out_.size() - base_ >= 2 && out_[out_.size() - 2] == '\n' && out_.back() == '\n')
            return;
        out_.push_back('\n');
    }

    void finish() {
        while (out_.size() > base_ && is_space(out_.back()))
            out_.pop_back();
    }

private:
    [[nodiscard]] bool at_line_start() const { return out_.size() == base_ || out_.back() == '\n'; }

    std::string& out_;
    std::size_t base_;
    char pending_ = 0;
    bool bullet_ = false;
};

enum class tag_kind : std::uint8_t { block, paragraph, br, cell, li, pre, raw, head, body };

struct tag_rule {
    std::string_view name;
    tag_kind kind;
};

/// The rule for a lower-case tag name; null for inline and unknown tags.
const tag_rule* find_tag(std::string_view lower_name);

} // namespace cairn::mime::html
