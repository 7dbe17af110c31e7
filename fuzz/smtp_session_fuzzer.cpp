// smtp_session_fuzzer: arbitrary client bytes against smtp::session, fed in
// chunks whose sizes come from the input itself (llhttp's trick), in SMTP or
// LMTP mode, with and without STARTTLS. Checks: no crash, every output is
// well-formed replies, the session never takes bytes it did not get, a
// closed session reads nothing, and no message exceeds the size limit.

#include "fuzz_check.hpp"

#include <smtp/reply.hpp>
#include <smtp/session.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace cairn;

// The first bytes choose the configuration; the rest is the client stream.
smtp::session_config config_from(std::uint8_t choice) {
    smtp::session_config c;
    c.hostname = "fuzz.example";
    c.mode = (choice & 1U) != 0 ? smtp::protocol::lmtp : smtp::protocol::smtp;
    c.tls_available = (choice & 2U) != 0;
    c.max_message_size = (choice & 4U) != 0 ? 64 : 4096;
    c.bare_lf = static_cast<smtp::bare_lf_policy>((choice >> 3U) % 3U);
    c.reject_long_lines = (choice & 32U) == 0;
    c.max_errors = (choice & 64U) != 0 ? 3 : 20;
    if ((choice & 128U) != 0) {
        c.accept_domains = {"archive.example"};
    }
    return c;
}

void drain(smtp::session& s) {
    const std::string out = s.take_output();
    fuzz::check(smtp::well_formed_replies(out), "malformed reply");
}

// Verdicts alternate by message so that both the 250 and failure paths run;
// LMTP gets one per recipient (RFC 2033 §4.2).
void answer(smtp::session& s, std::uint64_t max_size, unsigned& count) {
    auto m = s.take_message();
    fuzz::check(m.has_value(), "awaiting a verdict without a message");
    fuzz::check(m->data.size() <= max_size, "message over the size limit delivered");
    fuzz::check(!m->env.rcpt_to.empty(), "message without recipients");
    std::vector<smtp::verdict> verdicts;
    const std::size_t n = m->env.mode == smtp::protocol::lmtp ? m->env.rcpt_to.size() : 1;
    for (std::size_t i = 0; i < n; ++i) {
        verdicts.push_back({(count + i) % 3 == 0 ? 451 : 250, {}, {}});
    }
    ++count;
    s.deliver_result(verdicts);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) {
        return 0;
    }
    const smtp::session_config config = config_from(data[0]);
    const std::size_t chunk = 1 + data[1] % 64U;
    const std::string_view input = fuzz::as_text(data + 2, size - 2);

    smtp::session s(config);
    s.greeting();
    drain(s);
    std::string pending;
    unsigned messages = 0;
    for (std::size_t pos = 0; pos < input.size() && !s.closed(); pos += chunk) {
        pending.append(input.substr(pos, chunk));
        // Bounded: each round either consumes input or answers a message.
        for (int round = 0; round < 1 << 16; ++round) {
            const std::size_t used = s.feed(pending);
            fuzz::check(used <= pending.size(), "consumed more than was fed");
            pending.erase(0, used);
            drain(s);
            if (s.awaiting_verdict()) {
                answer(s, config.max_message_size, messages);
                drain(s);
                continue;
            }
            if (s.wants_starttls()) {
                fuzz::check(pending.empty(), "plaintext kept across STARTTLS");
                s.tls_started();
            }
            break;
        }
        if (s.closed()) {
            fuzz::check(s.feed("NOOP\r\n") == 0, "a closed session read input");
        }
    }
    return 0;
}
