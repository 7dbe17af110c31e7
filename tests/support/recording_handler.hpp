#pragma once
// A scan_handler that writes every event as one line of text: the canonical form
// of "what the scanner saw" (llhttp's callback logs). Consecutive body events of
// the same part and role are merged, so the log does not depend on how the input
// was split into chunks — which is exactly what the streaming tests compare.

#include <mime/scanner.hpp>

#include <string>

namespace cairn::test {

class recording_handler final : public mime::scan_handler {
public:
    void on_part_begin(std::uint64_t offset, std::uint32_t depth) override;
    void on_header(std::string_view name, std::string_view value, std::uint64_t offset) override;
    void on_headers_end(const mime::part_head& head) override;
    void on_body(std::string_view bytes, std::uint64_t offset, mime::body_role role) override;
    void on_part_end(const mime::part_tail& tail) override;
    void on_defect(mime::defect kind, std::uint64_t offset) override;

    /// The log so far (any merged body run is closed first).
    [[nodiscard]] const std::string& log();

private:
    void close_body();
    std::string log_;
    bool in_body_ = false;
    mime::body_role role_ = mime::body_role::content;
    std::uint64_t body_offset_ = 0;
    std::uint64_t body_next_ = 0;
    std::string body_;
};

/// Feeds `input` to a scanner in chunks whose sizes come from `next_size`
/// (called repeatedly; returns ≥ 1), honouring the feed contract: unconsumed bytes
/// are presented again with the next chunk. Returns the recorded log.
template <class NextSize>
std::string scan_in_chunks(std::string_view input, NextSize next_size,
                           const mime::parse_options& options = {});

/// The log of feeding `input` whole.
[[nodiscard]] std::string scan_whole(std::string_view input,
                                     const mime::parse_options& options = {});

} // namespace cairn::test

#include "support/recording_handler_impl.hpp"
